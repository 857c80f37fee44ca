package io.stackwire.controller.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --host}: the name of a spec host (its overlay {@code hosts/<name>.yaml}), never a
 * daemon. Docker's own CLI spells the daemon address {@code -H/--host}, so a daemon address here is
 * a likely mix-up; it is refused and pointed at {@code DOCKER_HOST} rather than silently planned for
 * as a host that has no overlay.
 */
final class HostName implements ITypeConverter<String> {

    /** {@code tcp://}, {@code unix://}, {@code ssh://}, {@code npipe://}, {@code fd://}, ... */
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");
    /** {@code host:2375}, {@code 10.0.0.5:2376}, {@code [::1]:2375}. */
    private static final Pattern HOST_PORT = Pattern.compile(".*:\\d+");

    @Override
    public String convert(String value) {
        return check(value);
    }

    static String check(String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new TypeConversionException("'" + value + "' is empty; name a spec host (hosts/NAME.yaml)");
        }
        if (URL.matcher(v).matches() || HOST_PORT.matcher(v).matches() || v.startsWith("/")) {
            throw new TypeConversionException("'" + v + "' looks like a Docker daemon address, but --host names a spec"
                    + " host (its overlay hosts/NAME.yaml). To talk to that daemon, set DOCKER_HOST="
                    + (v.startsWith("/") ? "unix://" + v : URL.matcher(v).matches() ? v : "tcp://" + v)
                    + " and pass --host with the host's name in the spec.");
        }
        return v;
    }
}

package io.stackwire.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwire.model.PortBinding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one port order, and the two text forms built on normalised bindings. */
class PortBindingsTest {

    private static List<PortBinding> parse(String... texts) {
        return Arrays.stream(texts).map(PortBinding::parse).toList();
    }

    private static List<PortBinding> reversed(List<PortBinding> in) {
        List<PortBinding> out = new ArrayList<>(in);
        Collections.reverse(out);
        return out;
    }

    @Test
    void sortsByProtocolThenHostAddressThenContainerPortThenHostPort() {
        List<PortBinding> sorted = PortBindings.normalised(
                parse("53:53/udp", "127.0.0.1:9000:80", "9001:80", "8080:443", "7000:80"));

        assertThat(sorted).extracting(PortBinding::toString)
                .containsExactly("7000:80", "9001:80", "8080:443", "127.0.0.1:9000:80", "53:53/udp");
        assertThat(sorted).isSortedAccordingTo(PortBindings.ORDER);
    }

    @Test
    void everyNormaliserEntryPointUsesTheSameOrder() {
        List<PortBinding> in = parse("53:53/udp", "[::1]:81:81", "80:80", "10.0.0.1:82:82/udp");

        assertThat(Normalizer.PORT_ORDER).isSameAs(PortBindings.ORDER);
        assertThat(Normalizer.ports(in)).isSortedAccordingTo(PortBindings.ORDER).isEqualTo(PortBindings.normalised(in));
        assertThat(Normalizer.actualPorts(in)).isEqualTo(Normalizer.ports(in));
        assertThat(Normalizer.portTexts(reversed(in)))
                .containsExactly("80:80", "[::1]:81:81", "53:53/udp", "10.0.0.1:82:82/udp");
    }

    @Test
    void mergesRunsInThatOrderSoProtocolsDoNotInterleave() {
        // Container port first would interleave 80/tcp, 80/udp, 81/tcp, 81/udp and merge nothing.
        List<PortBinding> singles = PortBindings.normalised(parse("80-81:80-81", "80-81:80-81/udp"));

        assertThat(singles).hasSize(4);
        assertThat(PortBindings.texts(singles)).containsExactly("80-81:80-81", "80-81:80-81/udp");
    }

    @Test
    void keysAreUnmergedSingleBindingsSortedAsText() {
        List<PortBinding> in = parse("8080:80", "5000-5001:2000-2001", "127.0.0.1:9000:90", "53:53/udp");

        // Text order, not ORDER: saved plans' dependency hashes were made with it.
        assertThat(Normalizer.portKeys(in))
                .containsExactly("127.0.0.1:9000:90", "5000:2000", "5001:2001", "53:53/udp", "8080:80");
        assertThat(PortBindings.texts(PortBindings.normalised(in)))
                .containsExactly("8080:80", "5000-5001:2000-2001", "127.0.0.1:9000:90", "53:53/udp");
    }

    @Test
    void anIpv6EveryInterfaceTwinOfAnIpv4OneIsOneBinding() {
        assertThat(PortBindings.normalised(parse("0.0.0.0:80:80", "[::]:80:80", "[::]:81:81")))
                .extracting(PortBinding::toString).containsExactly("80:80", "[::]:81:81");
    }

    @Test
    void whatItReturnsCannotBeChanged() {
        List<PortBinding> normalised = PortBindings.normalised(parse("80:80"));
        List<String> keys = PortBindings.keys(normalised);

        assertThatThrownBy(() -> normalised.add(PortBinding.parse("81:81"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> keys.add("81:81")).isInstanceOf(UnsupportedOperationException.class);
    }
}

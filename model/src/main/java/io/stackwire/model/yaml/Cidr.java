package io.stackwire.model.yaml;

import io.stackwire.model.IpAddress;
import java.math.BigInteger;

/** A subnet in CIDR notation; {@link #toString()} is canonical. */
record Cidr(IpAddress address, int prefix) {

    /** What went wrong when parsing; exactly one of cidr/error is set. */
    record Parsed(Cidr cidr, String error, String suggestion) {}

    static Parsed parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return new Parsed(null, "'" + s + "' is not in CIDR notation", "write ADDRESS/PREFIX, e.g. 10.10.0.0/24 or fd00:10::/64");
        }
        IpAddress ip = IpAddress.parse(s.substring(0, slash));
        String len = s.substring(slash + 1);
        if (ip == null) {
            return new Parsed(null, "'" + s + "' is not a valid CIDR: bad address", "write ADDRESS/PREFIX, e.g. 10.10.0.0/24 or fd00:10::/64");
        }
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(len) > ip.bits()) {
            return new Parsed(null, "'" + s + "' is not a valid CIDR: prefix length must be 0-" + ip.bits(), "");
        }
        int prefix = Integer.parseInt(len);
        Cidr c = new Cidr(new IpAddress(ip.v6(), ip.value().and(mask(ip.bits(), prefix))), prefix);
        if (!c.address.equals(ip)) {
            return new Parsed(null, "'" + s + "' has host bits set", "did you mean " + c + "?");
        }
        return new Parsed(c, null, null);
    }

    private static BigInteger mask(int bits, int prefix) {
        BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        BigInteger host = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        return all.xor(host);
    }

    boolean v6() {
        return address.v6();
    }

    BigInteger first() {
        return address.value();
    }

    BigInteger last() {
        return address.value().or(BigInteger.ONE.shiftLeft(address.bits() - prefix).subtract(BigInteger.ONE));
    }

    boolean contains(IpAddress ip) {
        return ip.v6() == v6() && ip.value().compareTo(first()) >= 0 && ip.value().compareTo(last()) <= 0;
    }

    boolean contains(Cidr other) {
        return other.v6() == v6() && other.prefix >= prefix && contains(other.address);
    }

    boolean overlaps(Cidr other) {
        return other.v6() == v6() && first().compareTo(other.last()) <= 0 && other.first().compareTo(last()) <= 0;
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}

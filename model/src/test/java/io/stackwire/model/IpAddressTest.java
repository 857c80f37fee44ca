package io.stackwire.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressTest {

    // ---- lenient: canonical text of what the daemon and the host report ----------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            # input                                  | canonical
            10.1.0.0/24                              | 10.1.0.0/24
            172.17.0.2                               | 172.17.0.2
            FD00::1                                  | fd00::1
            fd00:0:0:0:0:0:0:1                       | fd00::1
            fd00:0000:0000:0000:0000:0000:0000:0001  | fd00::1
            2001:DB8:0:0:1:0:0:1                     | 2001:db8::1:0:0:1
            2001:db8:0:1:1:1:1:1                     | 2001:db8:0:1:1:1:1:1
            fd00:0:0:1::/64                          | fd00:0:0:1::/64
            FD00:0:0:0::/64                          | fd00::/64
            ::                                       | ::
            ::1                                      | ::1
            ::ffff:192.0.2.1                         | ::ffff:192.0.2.1
            1:0:0:2:0:0:0:3                          | 1:0:0:2::3
            not:an:address:zz                        | not:an:address:zz
            '  '                                     | NULL
            """)
    void printsCanonicalText(String input, String expected) {
        assertThat(IpAddress.canonicalAddressOrCidr(input)).isEqualTo(expected);
    }

    @Test
    void nullStaysNull() {
        assertThat(IpAddress.canonicalAddressOrCidr(null)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # the lenient reading keeps what the strict one refuses, and only ASCII
            0000:0000:0000:0000:0000:ffff:001.002.003.004 | ::ffff:1.2.3.4
            1.2.3.4::                                     | 1.2.3.4::
            ٠::1                                          | ٠::1
            1::2::3                                       | 1::2::3
            """)
    void canonicalKeepsWhatIsNoLiteral(String input, String expected) {
        assertThat(IpAddress.canonical(input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1       | true
            [fd00::1]      | true
            fe80::1%eth0   | true
            010.0.0.1      | true
            10.0.0         | false
            host.example   | false
            ''             | false
            """)
    void tellsLiteralsFromNames(String input, boolean literal) {
        assertThat(IpAddress.isLiteral(input)).isEqualTo(literal);
    }

    // ---- strict: a literal written in a spec ---------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # input                  | v6    | toString
            10.0.0.1                 | false | 10.0.0.1
            0.0.0.0                  | false | 0.0.0.0
            255.255.255.255          | false | 255.255.255.255
            FD00:0:0:0::1            | true  | fd00::1
            ::                       | true  | ::
            1:0:0:2:0:0:0:3          | true  | 1:0:0:2::3
            1:0:0:2:2:0:0:3          | true  | 1::2:2:0:0:3
            ::ffff:10.0.0.1          | true  | ::ffff:a00:1
            64:ff9b::192.0.2.33      | true  | 64:ff9b::c000:221
            """)
    void parsesSpecLiterals(String input, boolean v6, String text) {
        IpAddress ip = IpAddress.parse(input);
        assertThat(ip.v6()).isEqualTo(v6);
        assertThat(ip.bits()).isEqualTo(v6 ? 128 : 32);
        assertThat(ip).hasToString(text);
        assertThat(IpAddress.parse(text)).isEqualTo(ip);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            010.0.0.1
            10.0.0.01
            256.0.0.1
            10.0.0
            10.0.0.1.
            [::1]
            fe80::1%eth0
            1::2::3
            1:2:3:4:5:6:7
            1:2:3:4:5:6:7:8:9
            12345::1
            ::ffff:10.0.0.01
            not-an-ip
            0000:0000:0000:0000:0000:ffff:001.002.003.004
            """)
    void refusesWhatDockerWouldRefuse(String input) {
        assertThat(IpAddress.parse(input)).isNull();
    }

    @Test
    void refusesNothingAtAll() {
        assertThat(IpAddress.parse(null)).isNull();
        assertThat(IpAddress.parse("")).isNull();
    }

    @Test
    void ordersIpv4BeforeIpv6ThenByValue() {
        List<IpAddress> sorted = List.of("fd00::1", "10.0.0.2", "::1", "10.0.0.1").stream().map(IpAddress::parse).sorted().toList();
        assertThat(sorted).extracting(IpAddress::toString).containsExactly("10.0.0.1", "10.0.0.2", "::1", "fd00::1");
        assertThat(IpAddress.parse("10.0.0.1")).isEqualTo(new IpAddress(false, BigInteger.valueOf(0x0a000001L)));
    }

    @Test
    void bothReadingsAgreeOnCanonicalLiterals() {
        for (String s : List.of("10.1.2.3", "fd00::1", "2001:db8::1:0:0:1", "::", "1:0:0:2::3")) {
            assertThat(IpAddress.canonical(s)).isEqualTo(s);
            assertThat(IpAddress.parse(s)).hasToString(s);
        }
    }
}

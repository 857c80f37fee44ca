package io.stackwire.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortBindingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # input                          | host ip   | host start | host end | ctr start | ctr end | proto | canonical
            443                              |           | 0          | 0        | 443       | 443     | TCP   | 443
            444:443                          |           | 444        | 444      | 443       | 443     | TCP   | 444:443
            127.0.0.1:5432:5432              | 127.0.0.1 | 5432       | 5432     | 5432      | 5432    | TCP   | 127.0.0.1:5432:5432
            127.0.0.1::5432                  | 127.0.0.1 | 0          | 0        | 5432      | 5432    | TCP   | 127.0.0.1::5432
            5000-5100:2000-2100              |           | 5000       | 5100     | 2000      | 2100    | TCP   | 5000-5100:2000-2100
            53:53/udp                        |           | 53         | 53       | 53        | 53      | UDP   | 53:53/udp
            9999/sctp                        |           | 0          | 0        | 9999      | 9999    | SCTP  | 9999/sctp
            80/TCP                           |           | 0          | 0        | 80        | 80      | TCP   | 80
            [::1]:8080:80                    | ::1       | 8080       | 8080     | 80        | 80      | TCP   | [::1]:8080:80
            [::1]::80/udp                    | ::1       | 0          | 0        | 80        | 80      | UDP   | [::1]::80/udp
            [FD00::1]:8080:80                | fd00::1   | 8080       | 8080     | 80        | 80      | TCP   | [fd00::1]:8080:80
            8000-8010:80                     |           | 8000       | 8010     | 80        | 80      | TCP   | 8000-8010:80
            2000-2100                        |           | 0          | 0        | 2000      | 2100    | TCP   | 2000-2100
            10.0.0.1:5000-5001:6000-6001/udp | 10.0.0.1  | 5000       | 5001     | 6000      | 6001    | UDP   | 10.0.0.1:5000-5001:6000-6001/udp
            " 8080:80 "                      |           | 8080       | 8080     | 80        | 80      | TCP   | 8080:80
            65535:1                          |           | 65535      | 65535    | 1         | 1       | TCP   | 65535:1
            """)
    void parsesEveryDockerRunForm(String input, String hostIp, int hostStart, int hostEnd, int ctrStart, int ctrEnd,
            Protocol proto, String canonical) {
        PortBinding b = PortBinding.parse(input);
        assertThat(b).isEqualTo(new PortBinding(hostIp, hostStart, hostEnd, ctrStart, ctrEnd, proto));
        assertThat(b.toString()).isEqualTo(canonical);
        assertThat(PortBinding.parse(b.toString())).isEqualTo(b);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # input                | message contains              | reason
            ""                     | empty port mapping            | SYNTAX
            80/http                | unknown protocol 'http'       | SYNTAX
            80/                    | unknown protocol ''           | SYNTAX
            0                      | outside 1-65535               | OUT_OF_RANGE
            65536                  | outside 1-65535               | OUT_OF_RANGE
            70000:80               | host port 70000 is outside 1-65535 | OUT_OF_RANGE
            123456                 | invalid container port        | SYNTAX
            abc                    | invalid container port 'abc'  | SYNTAX
            5000-5100:2000-2050    | differ in length              | RANGE_MISMATCH
            8080:80-81             | differ in length              | RANGE_MISMATCH
            90-80                  | ends before it starts         | SYNTAX
            80-                    | invalid container port ''     | SYNTAX
            :1:80                  | empty host address            | SYNTAX
            1:2:3:4                | too many ':'                  | SYNTAX
            ::1:80:80              | too many ':'                  | SYNTAX
            [::1]:80               | no host port part             | SYNTAX
            [::1                   | bad IPv6 host address         | SYNTAX
            []:80:80               | empty IPv6 host address       | SYNTAX
            [::1]:1:2:3            | too many ':'                  | SYNTAX
            ٨٠                     | invalid container port        | SYNTAX
            """)
    void rejectsMalformedMappingsNamingTheInputAndTheRule(String input, String message, PortBinding.Invalid.Reason reason) {
        assertThatThrownBy(() -> PortBinding.parse(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .isInstanceOfSatisfying(PortBinding.Invalid.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @ParameterizedTest(name = "{0} -> {1} bindings")
    @CsvSource(delimiter = '|', textBlock = """
            5000-5100:2000-2100 | 101 | 5000:2000       | 5100:2100
            2000-2001           | 2   | 2000            | 2001
            8000-8010:80        | 1   | 8000-8010:80    | 8000-8010:80
            """)
    void expandsRangesOnePerContainerPort(String input, int count, String first, String last) {
        var expanded = PortBinding.parse(input).expand();
        assertThat(expanded).hasSize(count);
        assertThat(expanded.get(0).toString()).isEqualTo(first);
        assertThat(expanded.get(count - 1).toString()).isEqualTo(last);
    }
}

package io.stackwire.model;

import io.stackwire.model.Addresses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalAddressesTest {

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
        assertThat(Addresses.canonical(input)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void nullStaysNull() {
        assertThat(Addresses.canonical(null)).isNull();
    }
}

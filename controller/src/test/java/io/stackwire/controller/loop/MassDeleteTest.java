package io.stackwire.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MassDeleteTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            trailer says yes                    | Drop old nets\\n\\nStackwire-Allow-Mass-Delete: yes            | true
            key case and value case ignored     | Drop old nets\\n\\nstackwire-allow-mass-delete: YES            | true
            true is yes                         | Drop old nets\\n\\nStackwire-Allow-Mass-Delete: true           | true
            among other trailers                | Drop\\n\\nSigned-off-by: A <a@x>\\nStackwire-Allow-Mass-Delete: yes | true
            value no                            | Drop old nets\\n\\nStackwire-Allow-Mass-Delete: no             | false
            only in the body, not a trailer     | Drop\\n\\nStackwire-Allow-Mass-Delete: yes\\n\\nMore text.     | false
            subject line alone is no trailer    | Stackwire-Allow-Mass-Delete: yes                              | false
            no trailer                          | Drop old nets                                                 | false
            empty (a local folder)              | ''                                                            | false
            """)
    void aCommitTrailerConfirmsAMassDelete(String what, String message, boolean confirmed) {
        assertThat(MassDelete.confirmedBy(message.replace("\\n", "\n"))).as(what).isEqualTo(confirmed);
    }
}

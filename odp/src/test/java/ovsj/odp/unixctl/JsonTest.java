package ovsj.odp.unixctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    /** Each input id and what ovsdb-server 3.1.0 echoed for it (recorded against the real server). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "1.0|1",
        "1e2|100",
        "1.5e3|1500",
        "-0|0",
        "-0.0|0",
        "0.1|0.1",
        "0.30000000000000004|0.3",
        "1e-7|1e-07",
        "1.25e-5|1.25e-05",
        "123456789012345|123456789012345",
        "1.5e15|1500000000000000",
        "12345678901234567890|1.23456789012346e+19",
        "123456789012345678901234|1.23456789012346e+23",
        "-9223372036854775808|-9223372036854775808",
        "true|true",
        "[1,{\"a\":2.5}]|[1,{\"a\":2.5}]",
    })
    void numbersAndValuesRoundTripAsOvsPrintsThem(String in, String ovs) throws Exception {
        assertThat(Json.write(Json.parse(in))).isEqualTo(ovs);
    }

    @Test
    void stringsEscapeOnlyWhatOvsEscapes() throws Exception {
        // ovsdb-server echoed "\ud83d\ude00\t\b\f\r\n\u007f\u001f\"" as raw UTF-8 plus these escapes.
        Object v = Json.parse("\"\\ud83d\\ude00\\t\\b\\f\\r\\n\\u007f\\u001f\\\"\\u001a/\\/\\\\\"");
        assertThat(Json.write(v)).isEqualTo("\"\uD83D\uDE00\\t\\b\\f\\r\\n\u007f\\u001f\\\"\\u001a//\\\\\"");
    }

    @Test
    void objectsKeepOrderAndTheLastRepeatedNameWins() throws Exception {
        Object v = Json.parse(" { \"b\" : 1 , \"a\" : [ ] , \"b\" : null } ");
        assertThat(v).isInstanceOf(Map.class);
        assertThat(Json.write(v)).isEqualTo("{\"b\":null,\"a\":[]}");
        assertThat(((Map<?, ?>) v).get("b")).isSameAs(Json.NULL);
        assertThat(((Map<?, ?>) v).get("a")).isEqualTo(List.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "01|leading zeros not allowed",
        "1e400|number outside valid range",
        "\"a\\u0000b\"|null bytes not supported",
        "\"tab\there\"|U+0009 must be escaped",
        "[1,]|syntax error",
        "{\"a\" 1}|syntax error",
        "[1] x|trailing garbage",
        "\"\\ude00\"|surrogate",
        "\"\\q\"|bad escape",
        "tru|invalid keyword",
        "-|'-' must be followed by digit",
        "1.|decimal point must be followed by digit",
    })
    void refusesWhatOvsRefuses(String in, String why) {
        assertThatThrownBy(() -> Json.parse(in.replace("\\t", "\t").replace("\\u0000", "\\u0000")))
                .isInstanceOf(Json.ParseException.class)
                .hasMessageContaining(why);
    }

    @Test
    void refusesInvalidUtf8AndRawNul() {
        assertThatThrownBy(() -> Json.parse(new byte[] {'"', (byte) 0xc3, '"'}, 0, 3))
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> Json.parse(new byte[] {'"', 0, '"'}, 0, 3))
                .hasMessageContaining("null bytes");
    }

    @Test
    void nestingIsLimitedLikeOvs() throws Exception {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.write(Json.parse(ok))).isEqualTo(ok);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("maximum nesting depth");
    }

    @Test
    void formatRealMatchesCPercentPointFifteenG() {
        assertThat(Json.formatReal(2.5)).isEqualTo("2.5");
        assertThat(Json.formatReal(1e15)).isEqualTo("1e+15");
        assertThat(Json.formatReal(123456.0)).isEqualTo("123456");
        assertThat(Json.formatReal(0.0001)).isEqualTo("0.0001");
        assertThat(Json.formatReal(0.00001)).isEqualTo("1e-05");
        assertThat(Json.formatReal(-1.5e-300)).isEqualTo("-1.5e-300");
        assertThat(Json.formatReal(Double.MAX_VALUE)).isEqualTo("1.79769313486232e+308");
    }
}

package org.loom.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.JsonNode;

class EcmaNumbersTest {

    @Test
    void formatsEveryJcsNumberVector() {
        JsonNode vectors = ReferenceVectors.load("jcs-number-serialization-v1.json").get("vectors");
        assertThat(vectors.size()).isEqualTo(17);
        for (JsonNode vector : vectors) {
            JsonNode input = vector.get("input");
            String expected = vector.get("expected").stringValue();
            assertThat(EcmaNumbers.format(input.doubleValue())).as(vector.get("id").stringValue()).isEqualTo(expected);
            assertThat(CanonicalJson.rfc8785(input)).as(vector.get("id").stringValue()).isEqualTo(expected);
        }
    }

    @Test
    void matchesJavaScriptOnEveryOracleDouble() {
        // Each line: IEEE-754 bits and JavaScript's String(number) for them, computed by Node.js.
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (String line : ReferenceVectors.resource("/org/loom/protocol/json/ecma-number-oracle.txt").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" ");
            double value = Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(parts[0]));
            String actual = EcmaNumbers.format(value);
            if (!actual.equals(parts[1])) {
                mismatches.add(parts[0] + ": expected " + parts[1] + " got " + actual);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(8000);
        assertThat(mismatches).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1e21                 | 1e+21",
        "1e-7                 | 1e-7",
        "0.000001             | 0.000001",
        "1.5e300              | 1.5e+300",
        "12345678901234567890 | 12345678901234567000",
        "1.0                  | 1",
        "123e-20              | 1.23e-18",
        "100                  | 100",
        "1e20                 | 100000000000000000000",
        "-1.5e-7              | -1.5e-7",
        "0.1                  | 0.1",
        "4.35                 | 4.35",
        "9007199254740993     | 9007199254740992",
        "2e-324               | 0",
    })
    void writesTheReferenceNumberForms(String literal, String expected) {
        assertThat(EcmaNumbers.format(Double.parseDouble(literal))).isEqualTo(expected);
    }

    @Test
    void writesNegativeZeroAsZero() {
        assertThat(EcmaNumbers.format(-0.0)).isEqualTo("0");
    }

    @Test
    void picksTheClosestOfSeveralShortestCandidates() {
        // 3e-324 to 7e-324 all read back as the smallest subnormal (4.94e-324); 5e-324 is the closest.
        assertThat(Double.parseDouble("3e-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(Double.parseDouble("7e-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(EcmaNumbers.format(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(EcmaNumbers.format(2 * Double.MIN_VALUE)).isEqualTo("1e-323");
    }

    @Test
    void usesFewerDigitsThanJavaWhereJavaIsNotShortest() {
        // JDK 17 prints 2^-44 with one digit more than needed: 5.6843418860808015E-14.
        double value = Math.scalb(1.0, -44);
        assertThat(Double.toString(value)).isEqualTo("5.6843418860808015E-14");
        assertThat(EcmaNumbers.format(value)).isEqualTo("5.684341886080802e-14");
        assertThat(Double.parseDouble("5.684341886080802e-14")).isEqualTo(value);

        double large = 149944663175604512.0;
        assertThat(Double.toString(large)).isEqualTo("1.49944663175604512E17");
        assertThat(EcmaNumbers.format(large)).isEqualTo("149944663175604500");
    }

    @Test
    void refusesNumbersJsonCannotHold() {
        assertThatThrownBy(() -> EcmaNumbers.format(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcmaNumbers.format(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcmaNumbers.format(Double.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

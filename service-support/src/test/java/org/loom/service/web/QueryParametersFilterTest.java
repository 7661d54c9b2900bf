package org.loom.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParametersFilterTest {

    @Test
    void parsesRepeatedAndValuelessParametersInOrder() {
        Map<String, String[]> parameters = QueryParametersFilter.parse("limit=10&status=queued&status=failed&flag");

        assertThat(parameters.keySet()).containsExactly("limit", "status", "flag");
        assertThat(parameters.get("status")).containsExactly("queued", "failed");
        assertThat(parameters.get("flag")).containsExactly("");
    }

    @Test
    void decodesEscapesAndKeepsMalformedOnesRaw() {
        Map<String, String[]> parameters = QueryParametersFilter.parse("q=a%20b+c&bad=%zz");

        assertThat(parameters.get("q")).containsExactly("a b c");
        assertThat(parameters.get("bad")).containsExactly("%zz");
    }
}

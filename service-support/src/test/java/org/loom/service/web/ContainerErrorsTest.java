package org.loom.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.loom.protocol.error.ErrorCode;

class ContainerErrorsTest {

    @Test
    void anUnsupportedTransferCodingIsTheClientsMistake() {
        assertThat(ContainerErrors.forStatus(501, "POST", "/v1/envelopes", null).code())
                .isEqualTo(ErrorCode.ENVELOPE_INVALID);
        assertThat(ContainerErrors.forStatus(505, "GET", "/health", null).code())
                .isEqualTo(ErrorCode.ENVELOPE_INVALID);
    }

    @Test
    void aContainerFailureIsStillAnInternalError() {
        assertThat(ContainerErrors.forStatus(500, "GET", "/health", null).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }
}

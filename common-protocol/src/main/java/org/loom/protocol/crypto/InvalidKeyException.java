package org.loom.protocol.crypto;

import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

/**
 * A key that cannot be read as an Ed25519 key: bad PEM armour, wrong algorithm, wrong length, or a point that is not
 * on the curve. The message says which, in the protocol's words; the cryptographic library's own error stays in the
 * cause, for logs only.
 */
public class InvalidKeyException extends LoomException {

    public InvalidKeyException(String message) {
        super(ErrorCode.ENVELOPE_INVALID, message);
    }

    public InvalidKeyException(String message, Throwable cause) {
        super(ErrorCode.ENVELOPE_INVALID, message, null, cause);
    }
}

package org.loom.email.parse;

import java.util.Objects;

/**
 * A body part of a MIME message that is not the message text: a file, an inline image, an attached message.
 *
 * @param filename    the decoded file name; a generated one when the part had none
 * @param contentType the media type without parameters, lower-cased
 * @param data        the decoded bytes
 * @param inline      true for {@code Content-Disposition: inline} parts (images referenced from the HTML)
 */
public record MimeAttachment(String filename, String contentType, byte[] data, boolean inline) {

    public MimeAttachment {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(contentType, "contentType");
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int size() {
        return data.length;
    }
}

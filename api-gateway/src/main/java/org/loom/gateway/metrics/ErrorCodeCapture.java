package org.loom.gateway.metrics;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the first bytes of a response body, so the protocol error code of an error answer can be read whichever way
 * it was produced: by the gateway's error handling, by a filter that refused the request, or by an internal service
 * whose answer the gateway passed on. The body itself goes out unchanged.
 */
final class ErrorCodeCapture extends HttpServletResponseWrapper {

    private static final int KEPT_BYTES = 256;
    private static final Pattern CODE =
            Pattern.compile("^\\s*\\{\\s*\"error\"\\s*:\\s*\\{\\s*\"code\"\\s*:\\s*\"([A-Z_]{1,64})\"");

    private final ByteArrayOutputStream head = new ByteArrayOutputStream(KEPT_BYTES);
    private ServletOutputStream stream;

    ErrorCodeCapture(HttpServletResponse response) {
        super(response);
    }

    /** The {@code error.code} of the body written, if it was a protocol error body; otherwise null. */
    String errorCode() {
        if (getStatus() < 400) {
            return null;
        }
        Matcher matcher = CODE.matcher(head.toString(StandardCharsets.UTF_8));
        return matcher.find() ? matcher.group(1) : null;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            ServletOutputStream target = super.getOutputStream();
            stream = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return target.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    target.setWriteListener(listener);
                }

                @Override
                public void write(int b) throws IOException {
                    keep(new byte[] {(byte) b}, 0, 1);
                    target.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    keep(bytes, offset, length);
                    target.write(bytes, offset, length);
                }

                @Override
                public void flush() throws IOException {
                    target.flush();
                }

                @Override
                public void close() throws IOException {
                    target.close();
                }
            };
        }
        return stream;
    }

    @Override
    public void reset() {
        super.reset();
        head.reset();
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        head.reset();
    }

    private void keep(byte[] bytes, int offset, int length) {
        int room = KEPT_BYTES - head.size();
        if (room > 0) {
            head.write(bytes, offset, Math.min(room, length));
        }
    }
}

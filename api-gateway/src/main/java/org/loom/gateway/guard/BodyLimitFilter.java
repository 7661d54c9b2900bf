package org.loom.gateway.guard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.service.web.ProtocolErrorResponses;
import org.loom.service.web.RequestIds;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than the configured limit with 413 {@code PAYLOAD_TOO_LARGE}: at once when the
 * declared {@code Content-Length} is over it, otherwise as soon as reading a body without a declared length (chunked)
 * passes it. Either way no more than the limit is ever buffered or parsed.
 */
public class BodyLimitFilter extends OncePerRequestFilter {

    private final long maxBodyBytes;
    private final java.util.function.Predicate<HttpServletRequest> exempt;

    /** @param maxBodyBytes the limit; 0 disables it */
    public BodyLimitFilter(long maxBodyBytes) {
        this(maxBodyBytes, request -> false);
    }

    /**
     * @param maxBodyBytes the limit; 0 disables it
     * @param exempt       requests the limit does not apply to
     */
    public BodyLimitFilter(long maxBodyBytes, java.util.function.Predicate<HttpServletRequest> exempt) {
        this.maxBodyBytes = maxBodyBytes;
        this.exempt = exempt;
    }

    /** The refusal for a body over {@code maxBodyBytes}. */
    public static LoomException tooLarge(long maxBodyBytes) {
        return new LoomException(ErrorCode.PAYLOAD_TOO_LARGE, "Request body exceeds " + maxBodyBytes + " bytes",
                LoomException.details("max_body_bytes", maxBodyBytes));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (maxBodyBytes <= 0 || exempt.test(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            ProtocolErrorResponses.write(response, tooLarge(maxBodyBytes), RequestIds.of(request));
            return;
        }
        chain.doFilter(new LimitedBodyRequest(request, maxBodyBytes), response);
    }

    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private final long maxBodyBytes;
        private ServletInputStream stream;
        private BufferedReader reader;

        LimitedBodyRequest(HttpServletRequest request, long maxBodyBytes) {
            super(request);
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (reader != null) {
                throw new IllegalStateException("getReader() has already been called for this request");
            }
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), maxBodyBytes);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                if (stream != null) {
                    throw new IllegalStateException("getInputStream() has already been called for this request");
                }
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(
                        new LimitedInputStream(super.getInputStream(), maxBodyBytes), charset));
            }
            return reader;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long maxBodyBytes;
        private long read;

        LimitedInputStream(ServletInputStream delegate, long maxBodyBytes) {
            this.delegate = delegate;
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > maxBodyBytes) {
                throw tooLarge(maxBodyBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}

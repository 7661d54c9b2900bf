package org.loom.node.fuzz;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection. {@code java.net.http} refuses to send most of what a
 * fuzzer needs (bytes that are not a URI, a wrong {@code Content-Length}, control characters in headers), so requests
 * are written byte for byte here, and an answer that never comes is reported as such instead of being retried.
 */
final class RawHttp {

    /**
     * A request as written on the wire. {@code target} is the request-target (path and query) as raw bytes;
     * {@code contentLength} is what the header says, null to state the body's real length, negative for no header.
     */
    record Call(String method, byte[] target, List<String[]> headers, byte[] body, Long contentLength) {

        String targetText() {
            return new String(target, StandardCharsets.ISO_8859_1);
        }
    }

    /** The status, headers (names in lower case) and body of an answer. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The connection closed, reset or went silent before a complete answer arrived. */
    static final class NoAnswer extends Exception {
        NoAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String host;
    private final int readTimeoutMs;

    RawHttp(String host, int readTimeoutMs) {
        this.host = host;
        this.readTimeoutMs = readTimeoutMs;
    }

    Answer send(int port, Call call) throws NoAnswer {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(readTimeoutMs);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head(call));
                out.write(call.body());
                out.flush();
                // A body shorter than its Content-Length would otherwise leave the server waiting for the rest.
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before reading everything (a refused header, bytes past the
                // declared length): what counts is whether an answer came, not whether every byte was taken.
            }
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new NoAnswer(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private byte[] head(Call call) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(call.method().getBytes(StandardCharsets.ISO_8859_1));
        head.write(' ');
        head.writeBytes(call.target());
        head.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        boolean hostGiven = false;
        for (String[] header : call.headers()) {
            hostGiven |= header[0].equalsIgnoreCase("Host");
            line(head, header[0] + ": " + header[1]);
        }
        if (!hostGiven) {
            line(head, "Host: " + host);
        }
        line(head, "Connection: close");
        long length = call.contentLength() == null ? call.body().length : call.contentLength();
        if (length >= 0) {
            line(head, "Content-Length: " + length);
        }
        head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return head.toByteArray();
    }

    private static void line(ByteArrayOutputStream out, String text) {
        // Header values may carry any byte the fuzzer chose; ISO-8859-1 writes each char as the byte it stands for,
        // and UTF-8 text was already turned into such chars by the caller.
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Answer read(InputStream in) throws IOException, NoAnswer {
        Answer answer = readOne(in);
        // An interim answer (100 Continue to an Expect header) is followed by the real one.
        while (answer.status() >= 100 && answer.status() < 200 && answer.status() != 101) {
            answer = readOne(in);
        }
        return answer;
    }

    private static Answer readOne(InputStream in) throws IOException, NoAnswer {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new NoAnswer("connection closed before a status line", null);
        }
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new NoAnswer("not an HTTP status line: " + statusLine, null);
        }
        int code = Integer.parseInt(status[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
        }
        if (code < 200) {
            return new Answer(code, headers, new byte[0]);
        }
        byte[] body;
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        List<String> length = headers.getOrDefault("content-length", List.of());
        if (encoding.stream().anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = readChunked(in);
        } else if (!length.isEmpty()) {
            body = in.readNBytes(Integer.parseInt(length.get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new Answer(code, headers, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException, NoAnswer {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new NoAnswer("chunked body cut short", null);
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                    // trailers are not used by the node
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new NoAnswer("chunk cut short", null);
            }
            body.writeBytes(chunk);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}

package dev.loupe.dataset.webhook;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one webhook request: an HTTP/1.1 POST to an address the caller has already checked, answering the
 * response's status code. Redirects are not followed and the response body is not read.
 *
 * <p>Why not {@code java.net.http.HttpClient}: it resolves the host again by itself, so a DNS server under an
 * attacker's control could answer a public address to the SSRF check and an internal one to the client a moment
 * later (DNS rebinding). Here the socket connects to exactly the checked address, while the Host header, TLS SNI
 * and the certificate check use the URL's host name. The request timeout is a deadline for the whole exchange
 * (TLS handshake, writing, the status line), so a receiver that stops reading or answers a byte a second cannot
 * hold a worker longer.</p>
 */
public final class WebhookTransport {

    private static final int MAX_LINE = 8192;

    private final SSLSocketFactory tls;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    public WebhookTransport(SSLSocketFactory tls, Duration connectTimeout, Duration requestTimeout) {
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    /** Longest a call of {@link #post} can take: callers lease a delivery for at least this long. */
    public Duration maxDuration() {
        return connectTimeout.plus(requestTimeout);
    }

    /**
     * POSTs {@code body} with {@code headers} to {@code target}, connected to the first of {@code addresses} that
     * accepts within the connect timeout.
     *
     * @return the status code of the response
     * @throws IOException no connection, TLS failure, timeout or a malformed response
     */
    public int post(URI target, List<InetAddress> addresses, Map<String, String> headers, byte[] body) throws IOException {
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        int port = target.getPort() != -1 ? target.getPort() : https ? 443 : 80;
        String host = unbracket(target.getHost());
        byte[] head = requestHead(target, headers, body.length);
        Socket socket = connect(addresses, port);
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(requestTimeout);
                timedOut.set(true);
                closeQuietly(socket); // unblocks a write or read stuck on a receiver that stopped
            } catch (InterruptedException done) {
                // the exchange finished in time
            }
        });
        try (socket) {
            socket.setSoTimeout((int) Math.max(1, requestTimeout.toMillis()));
            Socket channel = https ? handshake(socket, host, port) : socket;
            OutputStream out = channel.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            return readStatus(channel.getInputStream());
        } catch (IOException e) {
            if (timedOut.get() || e instanceof SocketTimeoutException) {
                throw new SocketTimeoutException("no response within " + requestTimeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
    }

    private Socket connect(List<InetAddress> addresses, int port) throws IOException {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        IOException last = null;
        for (InetAddress address : addresses) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                break;
            }
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), (int) remaining);
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
        }
        if (last instanceof SocketTimeoutException || last == null) {
            throw new SocketTimeoutException("could not connect within " + connectTimeout.toMillis() + " ms");
        }
        throw last;
    }

    private Socket handshake(Socket socket, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        // the certificate must match the URL's host, although the socket was opened to an address
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    static byte[] requestHead(URI target, Map<String, String> headers, int contentLength) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        if (target.getRawQuery() != null) {
            path += "?" + target.getRawQuery();
        }
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.getRawAuthority()).append("\r\n");
        headers.forEach((name, value) -> {
            if (!isHeaderSafe(name) || !isHeaderSafe(value)) {
                throw new IllegalArgumentException("header " + name + " has a line break or control character");
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        head.append("Content-Length: ").append(contentLength).append("\r\n")
                .append("Connection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads the status line, passing over interim 1xx responses. */
    static int readStatus(InputStream in) throws IOException {
        while (true) {
            String line = readLine(in);
            String[] parts = line.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x response: " + truncate(line));
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("malformed status line: " + truncate(line));
            }
            if (status < 100 || status > 599) {
                throw new IOException("malformed status line: " + truncate(line));
            }
            if (status >= 200) {
                return status;
            }
            while (!readLine(in).isEmpty()) {
                // headers of the interim response
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("the receiver closed the connection without a complete response");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("response line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    private static boolean isHeaderSafe(String text) {
        return text != null && text.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String truncate(String line) {
        String printable = line.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 100 ? printable.substring(0, 100) + "..." : printable;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }
}

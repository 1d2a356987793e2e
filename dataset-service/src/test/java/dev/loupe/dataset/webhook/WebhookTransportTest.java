package dev.loupe.dataset.webhook;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookTransportTest {

    private static final InetAddress LOCALHOST = InetAddress.getLoopbackAddress();
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration REQUEST = Duration.ofMillis(700);

    private final List<AutoCloseable> closeAfter = new CopyOnWriteArrayList<>();
    private final WebhookTransport transport =
            new WebhookTransport((SSLSocketFactory) SSLSocketFactory.getDefault(), CONNECT, REQUEST);

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    record Received(String method, String path, String host, Map<String, String> headers, byte[] body) {
    }

    @Test
    void postsTheHeadersAndExactBodyToTheGivenAddress() throws Exception {
        BlockingQueue<Received> received = new ArrayBlockingQueue<>(10);
        HttpServer server = httpServer(received, 202);
        byte[] body = "{\"name\":\"v1\",\"note\":\"caf\u00e9 \u2713\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Loupe-Event", "dev.loupe.dataset.version-published");
        // the URL's host name need not resolve: the connection goes to the address given
        URI target = URI.create("http://receiver.example:" + server.getAddress().getPort() + "/hooks/in?token=a%20b");

        assertEquals(202, transport.post(target, List.of(LOCALHOST), headers, body));

        Received request = received.poll(5, TimeUnit.SECONDS);
        assertEquals("POST", request.method());
        assertEquals("/hooks/in?token=a%20b", request.path());
        assertEquals("receiver.example:" + server.getAddress().getPort(), request.host());
        assertEquals("dev.loupe.dataset.version-published", request.headers().get("Loupe-event"));
        assertEquals("application/json", request.headers().get("Content-type"));
        assertEquals(String.valueOf(body.length), request.headers().get("Content-length"));
        assertArrayEquals(body, request.body());
    }

    @Test
    void redirectIsReturnedNotFollowed() throws Exception {
        BlockingQueue<Received> received = new ArrayBlockingQueue<>(10);
        HttpServer server = httpServer(received, 302);
        URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        assertEquals(302, transport.post(target, List.of(LOCALHOST), Map.of(), new byte[]{'{', '}'}));
        received.poll(5, TimeUnit.SECONDS);
        assertEquals(0, received.size(), "only the one request");
    }

    @Test
    void nextAddressIsTriedWhenOneRefuses() throws Exception {
        BlockingQueue<Received> received = new ArrayBlockingQueue<>(10);
        HttpServer server = httpServer(received, 200);
        URI target = URI.create("http://two-addresses.example:" + server.getAddress().getPort() + "/");
        // Linux routes all of 127/8 to loopback; nothing listens on 127.0.0.2 at this port
        InetAddress refusing = InetAddress.getByName("127.0.0.2");
        assertEquals(200, transport.post(target, List.of(refusing, LOCALHOST), Map.of(), new byte[]{'{', '}'}));
        assertThrows(IOException.class, () -> transport.post(target, List.of(refusing), Map.of(), new byte[]{'{', '}'}));
    }

    @Test
    void receiverThatNeverAnswersTimesOut() throws Exception {
        ServerSocket silent = serverSocket(socket -> {
            socket.getInputStream().readAllBytes(); // reads the request, never answers
        });
        URI target = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
        long started = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> transport.post(target, List.of(LOCALHOST), Map.of(), new byte[]{'{', '}'}));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis >= 600 && millis < 3000, "timed out after " + millis + " ms");
        assertTrue(e.getMessage().contains("700 ms"), e.getMessage());
    }

    @Test
    void receiverThatStopsReadingCannotHoldTheSenderPastTheTimeout() throws Exception {
        ServerSocket stuck = serverSocket(socket -> Thread.sleep(10_000)); // accepts, never reads
        URI target = URI.create("http://127.0.0.1:" + stuck.getLocalPort() + "/");
        byte[] large = new byte[32 * 1024 * 1024]; // far more than the socket buffers hold
        long started = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> transport.post(target, List.of(LOCALHOST), Map.of(), large));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 3000, "gave up after " + millis + " ms");
    }

    @Test
    void interimResponsesArePassedOverAndGarbageIsAnError() throws Exception {
        ServerSocket continuing = serverSocket(socket -> respond(socket,
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX-A: b\r\n\r\n"));
        assertEquals(204, transport.post(URI.create("http://127.0.0.1:" + continuing.getLocalPort() + "/"),
                List.of(LOCALHOST), Map.of(), new byte[]{'{', '}'}));

        ServerSocket garbage = serverSocket(socket -> respond(socket, "SSH-2.0-OpenSSH_9.6\r\n"));
        IOException e = assertThrows(IOException.class, () -> transport.post(
                URI.create("http://127.0.0.1:" + garbage.getLocalPort() + "/"), List.of(LOCALHOST), Map.of(), new byte[]{'{', '}'}));
        assertTrue(e.getMessage().contains("not an HTTP/1.x response"), e.getMessage());
    }

    @Test
    void headersWithLineBreaksAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> WebhookTransport.requestHead(URI.create("http://a/"),
                Map.of("Loupe-Event", "x\r\nInjected: yes"), 2));
    }

    @Test
    void httpsChecksTheCertificateAgainstTheUrlHostNotTheAddress(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("receiver", keys.getCertificate("receiver"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(LOCALHOST, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        closeAfter.add(() -> server.stop(0));
        int port = server.getAddress().getPort();
        WebhookTransport tls = new WebhookTransport(clientTls.getSocketFactory(), CONNECT, Duration.ofSeconds(5));

        assertEquals(200, tls.post(URI.create("https://localhost:" + port + "/"), List.of(LOCALHOST), Map.of(), new byte[]{'{', '}'}));
        // the same server reached for another name: its certificate does not match, nothing is sent
        assertThrows(SSLHandshakeException.class, () -> tls.post(URI.create("https://other.example:" + port + "/"),
                List.of(LOCALHOST), Map.of(), new byte[]{'{', '}'}));
        assertEquals(1, requests.get());
    }

    private HttpServer httpServer(BlockingQueue<Received> received, int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(LOCALHOST, 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders().getFirst("Host"), headers, exchange.getRequestBody().readAllBytes()));
            if (status == 302) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        closeAfter.add(() -> server.stop(0));
        return server;
    }

    interface Connection {
        void handle(Socket socket) throws Exception;
    }

    private ServerSocket serverSocket(Connection handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, LOCALHOST);
        closeAfter.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    closeAfter.add(socket);
                    handler.handle(socket);
                } catch (Exception e) {
                    // closed by the test, or the client gave up
                }
            }
        });
        return server;
    }

    private static void respond(Socket socket, String response) throws IOException {
        InputStream in = socket.getInputStream();
        // read the request head and the two-byte body before answering
        byte[] buffer = new byte[8192];
        int total = 0;
        while (!new String(buffer, 0, total, StandardCharsets.ISO_8859_1).contains("\r\n\r\n{}")) {
            int read = in.read(buffer, total, buffer.length - total);
            if (read < 0) {
                return;
            }
            total += read;
        }
        OutputStream out = socket.getOutputStream();
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}

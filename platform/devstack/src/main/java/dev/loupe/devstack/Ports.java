package dev.loupe.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Local TCP port helpers shared by the embedded servers. */
public final class Ports {

    private Ports() {
    }

    /**
     * Asks the OS for a currently unused port. There is an unavoidable window between closing the
     * probe socket and the server binding it; on a dev/CI machine that race is rare enough.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not allocate a free local port", e);
        }
    }

    /**
     * True when nothing listens on {@code port} on any local address. Binds the wildcard address
     * because it conflicts with a listener on either 127.0.0.1 or 0.0.0.0.
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

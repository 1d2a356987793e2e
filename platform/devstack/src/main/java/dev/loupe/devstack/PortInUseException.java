package dev.loupe.devstack;

/** A fixed port that an embedded server was asked to use is already taken. */
public final class PortInUseException extends IllegalStateException {

    private final int port;

    public PortInUseException(int port, String what) {
        super(what + " port " + port + " is already in use");
        this.port = port;
    }

    public int port() {
        return port;
    }
}

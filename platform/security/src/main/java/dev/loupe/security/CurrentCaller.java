package dev.loupe.security;

import jakarta.enterprise.context.RequestScoped;

/** The current request's caller, set by {@link AuthFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;
    private String credential;

    public Caller get() {
        return caller;
    }

    /**
     * The verified Loupe token the caller sent (bearer or session cookie), for a call made in the caller's own name
     * ({@link CallerCredentialFilter}); empty without one. Never log it.
     */
    public java.util.Optional<String> credential() {
        return java.util.Optional.ofNullable(credential);
    }

    void set(Caller caller) {
        set(caller, null);
    }

    void set(Caller caller, String credential) {
        this.caller = caller;
        this.credential = credential;
    }
}

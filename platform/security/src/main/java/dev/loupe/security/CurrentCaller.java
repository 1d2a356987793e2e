package dev.loupe.security;

import jakarta.enterprise.context.RequestScoped;

/** The current request's caller, set by {@link AuthFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    public Caller get() {
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}

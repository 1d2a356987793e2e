package dev.loupe.label.auth;

import dev.loupe.security.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Password hashes: bcrypt in the OpenBSD format, through Bouncy Castle. */
@ApplicationScoped
public class Passwords {

    public static final int MIN_LENGTH = 10;
    /** bcrypt reads at most 72 bytes. */
    public static final int MAX_BYTES = 72;

    private final SecureRandom random = new SecureRandom();
    private final int cost;
    /** Compared against when the account does not exist, so the answer takes as long either way. */
    private final String decoy;

    public Passwords(AuthConfig config) {
        this.cost = config.bcryptCost();
        this.decoy = hash("not-a-password-" + random.nextLong());
    }

    /** What is wrong with a new password, or null. */
    public static String problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "at least " + MIN_LENGTH + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "at most " + MAX_BYTES + " bytes (UTF-8)";
        }
        return null;
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate(password.toCharArray(), salt, cost);
    }

    public boolean matches(String hash, String password) {
        if (password == null || password.isEmpty() || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            OpenBSDBCrypt.checkPassword(decoy, "x".toCharArray());
            return false;
        }
        if (hash == null) {
            OpenBSDBCrypt.checkPassword(decoy, password.toCharArray());
            return false;
        }
        return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }

    /** A random password for a generated first administrator. */
    public String generate() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

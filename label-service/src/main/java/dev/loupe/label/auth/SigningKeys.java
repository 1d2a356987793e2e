package dev.loupe.label.auth;

import dev.loupe.security.KeySource;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The RSA keys that sign every Loupe token, kept in this service's schema so every replica signs with the same key;
 * made on first start. The public half is the JWKS every other service verifies tokens with.
 */
@ApplicationScoped
public class SigningKeys {

    private final EntityManager em;
    private volatile List<PublicJsonWebKey> keys;

    public SigningKeys(EntityManager em) {
        this.em = em;
    }

    @Startup(10)
    @Transactional
    void ensureKey() {
        // one replica makes the first key; the others wait for it and read it
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('label.signing_key'))").getSingleResult();
        if (SigningKey.count() == 0) {
            try {
                var jwk = RsaJwkGenerator.generateJwk(2048);
                jwk.setKeyId(UUID.randomUUID().toString());
                jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
                jwk.setUse("sig");
                SigningKey key = new SigningKey();
                key.kid = jwk.getKeyId();
                key.jwk = jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
                key.createdAt = Instant.now();
                key.persist();
            } catch (JoseException e) {
                throw new IllegalStateException("could not make a signing key", e);
            }
        }
        keys = SigningKey.<SigningKey>list("ORDER BY createdAt DESC, kid").stream().map(k -> {
            try {
                return (PublicJsonWebKey) JsonWebKey.Factory.newJwk(k.jwk);
            } catch (JoseException e) {
                throw new IllegalStateException("signing key " + k.kid + " is unreadable", e);
            }
        }).toList();
    }

    /** Signs claims with the newest key (RS256). */
    public String sign(JwtClaims claims) {
        PublicJsonWebKey key = keys.getFirst();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    /** The public keys as a JWKS document. */
    public String jwks() {
        return new JsonWebKeySet(keys.stream().map(k -> (JsonWebKey) k).toList())
                .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** This service verifies tokens with its own keys, not over HTTP. */
    @Produces
    @ApplicationScoped
    KeySource localKeys() {
        return () -> new JwksVerificationKeyResolver(keys.stream().map(k -> (JsonWebKey) k).toList());
    }
}

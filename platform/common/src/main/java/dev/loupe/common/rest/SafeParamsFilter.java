package dev.loupe.common.rest;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Rejects path and query parameters that are not {@link SafeText}, or whose percent-encoding is not UTF-8 (decoders
 * would silently turn it into U+FFFD), with a 400 naming the parameter, before any resource sees them.
 */
public class SafeParamsFilter {

    @ServerRequestFilter
    public void checkParams(UriInfo uri) {
        String rawPath = uri.getRequestUri().getRawPath();
        if (rawPath != null && !isUtf8(rawPath)) {
            throw ProblemException.badRequest("path", "percent-encoded bytes that are not UTF-8");
        }
        String rawQuery = uri.getRequestUri().getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                if (!isUtf8(pair)) {
                    throw ProblemException.badRequest(isUtf8(name) ? decodedName(name) : "query",
                            "percent-encoded bytes that are not UTF-8");
                }
            }
        }
        check(uri.getPathParameters(true));
        check(uri.getQueryParameters(true));
    }

    private static void check(MultivaluedMap<String, String> params) {
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            String nameProblem = SafeText.problem(param.getKey());
            if (nameProblem != null) {
                throw ProblemException.badRequest("query", "a parameter name " + nameProblem);
            }
            for (String value : param.getValue()) {
                String problem = SafeText.problem(value);
                if (problem != null) {
                    throw ProblemException.badRequest(param.getKey(), problem);
                }
            }
        }
    }

    private static String decodedName(String raw) {
        String name = new String(percentDecode(raw), StandardCharsets.UTF_8);
        return SafeText.problem(name) == null ? name : "query";
    }

    /** Whether the percent-encoded bytes of {@code raw} are well-formed UTF-8 (no overlong forms, no surrogates). */
    static boolean isUtf8(String raw) {
        if (raw.indexOf('%') < 0) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(percentDecode(raw)));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] percentDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()
                    && Character.digit(raw.charAt(i + 1), 16) >= 0 && Character.digit(raw.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toByteArray();
    }
}

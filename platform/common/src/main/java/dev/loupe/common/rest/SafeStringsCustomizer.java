package dev.loupe.common.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Rejects request JSON whose strings or object keys are not {@link SafeText}: the failure is a Jackson mapping error
 * with the field's path, which {@link ProblemMappers} answers as a 400 naming the field, before anything is stored.
 */
@Singleton
public class SafeStringsCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("loupe-safe-strings");
        module.addDeserializer(String.class, new SafeStringDeserializer());
        module.addKeyDeserializer(String.class, new SafeKeyDeserializer());
        mapper.registerModule(module);
    }

    static final class SafeStringDeserializer extends StdScalarDeserializer<String> {

        SafeStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            String problem = SafeText.problem(value);
            if (problem != null) {
                throw MismatchedInputException.from(p, String.class, "text " + problem);
            }
            return value;
        }
    }

    static final class SafeKeyDeserializer extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            String problem = SafeText.problem(key);
            if (problem != null) {
                throw MismatchedInputException.from(ctxt.getParser(), String.class, "key " + problem);
            }
            return key;
        }
    }
}

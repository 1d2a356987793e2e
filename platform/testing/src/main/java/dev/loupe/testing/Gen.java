package dev.loupe.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A seeded generator of test values: what {@link OpenApiFuzz} draws malformed requests from. Every try draws from
 * one {@link Random} seeded by the run's seed and the try's number, so a failing try is repeated exactly by its seed.
 */
@FunctionalInterface
public interface Gen<T> {

    T draw(Random random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> f.apply(draw(random));
    }

    static <T> Gen<T> just(T value) {
        return random -> value;
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        List<T> list = List.copyOf(Arrays.asList(values));
        return random -> list.get(random.nextInt(list.size()));
    }

    /** One of the list's values. */
    static <T> Gen<T> ofList(List<T> values) {
        List<T> list = List.copyOf(values);
        return random -> list.get(random.nextInt(list.size()));
    }

    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        return oneOf(Arrays.asList(gens));
    }

    static <T> Gen<T> oneOf(List<? extends Gen<? extends T>> gens) {
        List<Gen<? extends T>> list = List.copyOf(gens);
        return random -> list.get(random.nextInt(list.size())).draw(random);
    }

    /** Integers in [min, max]. */
    static Gen<Integer> integers(int min, int max) {
        return random -> (int) (min + (long) (random.nextDouble() * ((long) max - min + 1)));
    }

    /** Letters and digits, between min and max long. */
    static Gen<String> alnum(int min, int max) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return random -> {
            int length = min + random.nextInt(max - min + 1);
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(chars.charAt(random.nextInt(chars.length())));
            }
            return out.toString();
        };
    }

    /** One value of each generator, in order. */
    static <T> Gen<List<T>> combine(List<? extends Gen<? extends T>> gens) {
        List<Gen<? extends T>> list = List.copyOf(gens);
        return random -> {
            List<T> out = new ArrayList<>(list.size());
            list.forEach(g -> out.add(g.draw(random)));
            return List.copyOf(out);
        };
    }

    static <A, B, C, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, TriFunction<A, B, C, R> f) {
        return random -> f.apply(a.draw(random), b.draw(random), c.draw(random));
    }

    static <A, B, R> Gen<R> combine(Gen<A> a, Gen<B> b, BiFunction<A, B, R> f) {
        return random -> f.apply(a.draw(random), b.draw(random));
    }

    @FunctionalInterface
    interface TriFunction<A, B, C, R> {
        R apply(A a, B b, C c);
    }
}

/**
 * Framework-free core of the embedding service: PIL-exact preprocessing ({@link dev.loupe.embedding.embedder.Preprocessor},
 * contract {@code loupe-gray64-v1}, reference {@code src/test/python/loupe_preprocess.py}) and TorchScript CNN
 * inference through DJL's PyTorch engine ({@link dev.loupe.embedding.embedder.TorchScriptEmbedder}).
 *
 * <p>Runtime requirements, all outside this code:
 * <ul>
 *   <li>{@code -Dai.djl.offline=true} (set by {@code TorchScriptEmbedder.load} if absent) and the
 *       {@code pytorch-native-cpu} jar on the class path: libtorch is extracted from it once, by default into
 *       {@code ~/.djl.ai/pytorch/} (about 430 MB; {@code ENGINE_CACHE_DIR} or {@code DJL_CACHE_DIR} move it), so that
 *       directory must be writable or pre-populated;</li>
 *   <li>jemalloc preloaded ({@code LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2},
 *       {@code MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1}): with glibc malloc libtorch's speed swings 3-10x.</li>
 * </ul>
 */
package dev.loupe.embedding.embedder;

package io.jrtc.mesh.internal.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for the payload of a BULK envelope: a {@link BulkChunk} parses to one whose encoding is the input, or
 * fails with the parser's exception. (A class of its own: in fuzzing mode Jazzer runs one fuzz test per class and
 * skipped this one while it shared {@link FuzzedBytesParseToCanonicalFramesOrFail}.)
 */
class FuzzedBytesParseToCanonicalBulkChunksOrFail {

    @FuzzTest(maxDuration = "30s")
    void bulkChunk(byte[] input) {
        FuzzedBytesParseToCanonicalFramesOrFail.checkChunk(input);
    }
}

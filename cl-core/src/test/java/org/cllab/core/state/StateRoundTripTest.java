package org.cllab.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StateRoundTripTest {

    /** Writes with {@code body} and reads the bytes back. */
    private interface Body {
        void write(StateWriter w) throws IOException;
    }

    private static byte[] bytes(Body body) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            body.write(w);
        }
        return bos.toByteArray();
    }

    private static StateReader roundTrip(Body body) throws IOException {
        return new StateReader(new ByteArrayInputStream(bytes(body)));
    }

    private static final float[] FLOATS = {
        0f, -0f, 1f, -1.5f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-40f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.1f, (float) Math.PI};
    private static final double[] DOUBLES = {
        0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 0.1, -Math.E, Double.NEGATIVE_INFINITY};

    private static void assertFloatBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
    }

    private static void assertDoubleBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    "element " + i);
        }
    }

    @Test
    void floatAndDoubleArraysRoundTripBitExact() throws IOException {
        INDArray f34 = Nd4j.create(FLOATS, new long[] {3, 4}, DataType.FLOAT);
        float[] f7v = {3f, -0f, 2.5e-38f, 7f, -8f, 1e30f, 0.3f};
        INDArray f7 = Nd4j.create(f7v, new long[] {7}, DataType.FLOAT);
        double[] d34v = new double[12];
        for (int i = 0; i < 12; i++) {
            d34v[i] = i % 2 == 0 ? DOUBLES[i % DOUBLES.length] : Math.sqrt(i) / 3.0;
        }
        INDArray d34 = Nd4j.create(d34v, new long[] {3, 4}, DataType.DOUBLE);
        INDArray d7 = Nd4j.create(DOUBLES, new long[] {7}, DataType.DOUBLE);

        StateReader r = roundTrip(w -> w.putArray("f34", f34).putArray("f7", f7).putArray("d34", d34)
                .putArray("d7", d7));

        INDArray rf34 = r.array("f34");
        assertEquals(DataType.FLOAT, rf34.dataType());
        assertArrayEquals(new long[] {3, 4}, rf34.shape());
        assertFloatBits(FLOATS, rf34.dup('c').data().asFloat());

        INDArray rf7 = r.array("f7");
        assertEquals(DataType.FLOAT, rf7.dataType());
        assertArrayEquals(new long[] {7}, rf7.shape());
        assertFloatBits(f7v, rf7.dup('c').data().asFloat());

        INDArray rd34 = r.array("d34");
        assertEquals(DataType.DOUBLE, rd34.dataType());
        assertArrayEquals(new long[] {3, 4}, rd34.shape());
        assertDoubleBits(d34v, rd34.dup('c').data().asDouble());

        INDArray rd7 = r.array("d7");
        assertEquals(DataType.DOUBLE, rd7.dataType());
        assertArrayEquals(new long[] {7}, rd7.shape());
        assertDoubleBits(DOUBLES, rd7.dup('c').data().asDouble());
    }

    @Test
    void arrayViewsAreWrittenInLogicalRowMajorOrder() throws IOException {
        INDArray base = Nd4j.create(FLOATS, new long[] {3, 4}, DataType.FLOAT);
        INDArray transposed = base.transpose(); // [4, 3] view with swapped strides
        StateReader r = roundTrip(w -> w.putArray("t", transposed));
        INDArray back = r.array("t");
        assertArrayEquals(new long[] {4, 3}, back.shape());
        float[] expected = new float[12];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = FLOATS[j * 4 + i];
            }
        }
        assertFloatBits(expected, back.dup('c').data().asFloat());
    }

    @Test
    void scalarsStringsAndIntsRoundTripBitExact() throws IOException {
        double payloadNaN = Double.longBitsToDouble(0x7ff8000000000123L);
        int[] ints = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 42};
        StateReader r = roundTrip(w -> w
                .putLong("long/min", Long.MIN_VALUE)
                .putLong("long/max", Long.MAX_VALUE)
                .putLong("long/neg", -123456789012345L)
                .putDouble("double/nan", Double.NaN)
                .putDouble("double/nan-payload", payloadNaN)
                .putDouble("double/neg-zero", -0.0)
                .putDouble("double/tiny", Double.MIN_VALUE)
                .putDouble("double/pi", Math.PI)
                .putString("string/empty", "")
                .putString("string/unicode", "gr\u00fc\u00dfe \u20ac \ud83d\ude00 / \"quoted\"\n")
                .putInts("ints", ints)
                .putInts("ints/empty", new int[0]));

        assertEquals(Long.MIN_VALUE, r.getLong("long/min"));
        assertEquals(Long.MAX_VALUE, r.getLong("long/max"));
        assertEquals(-123456789012345L, r.getLong("long/neg"));
        assertEquals(Double.doubleToRawLongBits(Double.NaN), Double.doubleToRawLongBits(r.getDouble("double/nan")));
        assertEquals(0x7ff8000000000123L, Double.doubleToRawLongBits(r.getDouble("double/nan-payload")));
        assertEquals(0x8000000000000000L, Double.doubleToRawLongBits(r.getDouble("double/neg-zero")));
        assertEquals(Double.MIN_VALUE, r.getDouble("double/tiny"));
        assertEquals(Math.PI, r.getDouble("double/pi"));
        assertEquals("", r.getString("string/empty"));
        assertEquals("gr\u00fc\u00dfe \u20ac \ud83d\ude00 / \"quoted\"\n", r.getString("string/unicode"));
        assertArrayEquals(ints, r.ints("ints"));
        assertArrayEquals(new int[0], r.ints("ints/empty"));

        // ints() hands out copies: changing one does not change the next read
        int[] first = r.ints("ints");
        first[0] = 999;
        assertArrayEquals(ints, r.ints("ints"));

        assertEquals(Set.of("long/min", "long/max", "long/neg", "double/nan", "double/nan-payload",
                "double/neg-zero", "double/tiny", "double/pi", "string/empty", "string/unicode", "ints",
                "ints/empty"), r.names());
        assertTrue(r.has("ints"));
        assertFalse(r.has("nope"));
    }

    @Test
    void emptyStateIsReadable() throws IOException {
        StateReader r = roundTrip(w -> {
        });
        assertTrue(r.names().isEmpty());
    }

    @Test
    void duplicateNamesAreRejected() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            w.putLong("x", 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.putLong("x", 2));
            assertTrue(e.getMessage().contains("x"), e.getMessage());
            // also across entry types
            assertThrows(IllegalArgumentException.class, () -> w.putDouble("x", 2.0));
            assertThrows(IllegalArgumentException.class, () -> w.putString("x", "y"));
            assertThrows(IllegalArgumentException.class, () -> w.putInts("x", new int[] {1}));
            assertThrows(IllegalArgumentException.class,
                    () -> w.putArray("x", Nd4j.zeros(DataType.FLOAT, 2)));
        }
        // the rejected writes left no trace: the file holds exactly the first entry
        StateReader r = new StateReader(new ByteArrayInputStream(bos.toByteArray()));
        assertEquals(Set.of("x"), r.names());
        assertEquals(1L, r.getLong("x"));
    }

    @Test
    void missingEntryNamesTheEntry() throws IOException {
        StateReader r = roundTrip(w -> w.putLong("present", 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.getLong("mlp/optimizer/t"));
        assertTrue(e.getMessage().contains("mlp/optimizer/t"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> r.array("absent/array"));
        assertThrows(IllegalStateException.class, () -> r.ints("absent/ints"));
    }

    @Test
    void wrongEntryTypeIsRejected() throws IOException {
        StateReader r = roundTrip(w -> w.putLong("n", 3).putString("s", "3"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.getDouble("n"));
        assertTrue(e.getMessage().contains("'n'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> r.getLong("s"));
        assertThrows(IllegalStateException.class, () -> r.array("s"));
    }

    @Test
    void badMagicIsRejected() throws IOException {
        byte[] good = bytes(w -> w.putLong("x", 1));
        byte[] bad = good.clone();
        bad[0] ^= 0x01;
        IOException e = assertThrows(IOException.class, () -> new StateReader(new ByteArrayInputStream(bad)));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());

        byte[] text = "{\"not\": \"a state file\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> new StateReader(new ByteArrayInputStream(text)));
    }

    @Test
    void unsupportedVersionIsRejected() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(0x434c5354); // "CLST"
            out.writeInt(99);
            out.writeByte(0);
        }
        IOException e = assertThrows(IOException.class,
                () -> new StateReader(new ByteArrayInputStream(bos.toByteArray())));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        byte[] good = bytes(w -> w.putArray("a", Nd4j.ones(DataType.FLOAT, 10)));
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 5);
        assertThrows(IOException.class, () -> new StateReader(new ByteArrayInputStream(cut)));
    }
}

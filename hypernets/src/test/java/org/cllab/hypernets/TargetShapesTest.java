package org.cllab.hypernets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.nn.ParamShape;
import org.cllab.core.rng.Rng;
import org.junit.jupiter.api.Test;

/**
 * Target networks declare their weights tensor by tensor, in the order of the flat vector; hypernetworks publish
 * their shared parameters as a named set.
 */
class TargetShapesTest {
    @Test
    void mlpTargetDeclaresItsTensorsInFlatOrder() {
        MlpTarget t = new MlpTarget(new int[] {5, 3, 2}, Activation.RELU);
        List<ParamShape> shapes = t.paramShapes();
        assertEquals(List.of("W0", "b0", "W1", "b1"), shapes.stream().map(ParamShape::name).toList());
        assertArrayEquals(new long[] {5, 3}, shapes.get(0).shape());
        assertArrayEquals(new long[] {2}, shapes.get(3).shape());
        assertEquals(5 * 3 + 3 + 3 * 2 + 2, t.numParams());
        assertEquals(t.numParams(), shapes.stream().mapToLong(ParamShape::length).sum());
    }

    @Test
    void hypernetworksNameTheirSharedParameters() {
        ChunkedHyperNetwork c = new ChunkedHyperNetwork(100, 4, 3, new int[] {8}, 30, Activation.RELU,
                Rng.forComponent(1, "h"));
        ParamSet cs = c.sharedParamSet();
        assertEquals(List.of("mlp", "chunk_embeddings"), cs.names());
        assertEquals(c.numSharedParams(), cs.size());
        RnnHyperNetwork r = new RnnHyperNetwork(100, 4, 3, 6, 30, Rng.forComponent(1, "r"));
        ParamSet rs = r.sharedParamSet();
        assertEquals(List.of("wx", "wh", "b", "wo", "bo", "chunk_embeddings"), rs.names());
        assertEquals(r.numSharedParams(), rs.size());
        rs.tensor("bo").value().assign(3);
        assertEquals(3f, r.sharedParams().get(4).getFloat(0), "live views");
    }
}

package org.cllab.core.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings records: key names, types, defaults, nested pieces, binding, checks and declaration errors. */
class SettingsBinderTest {
    enum Colour { DARK_RED, BLUE }

    @Settings(prefix = "learner.demo")
    record Inner(@Setting(def = "0.5", check = Check.FRACTION, doc = "a fraction") double keepRatio,
                 @Setting(def = "dark-red", doc = "a colour") Colour colour) {
    }

    @Settings(prefix = "learner")
    record Outer(@Setting(def = "[3, 4]", check = Check.POSITIVE, doc = "sizes") int[] hidden,
                 @Setting(def = "", defText = "(none)", doc = "a name") String name,
                 @Setting(def = "[]", allowed = {"a", "b"}, doc = "tags") List<String> tags,
                 @Setting(def = "7", key = "steps", doc = "renamed") long stepCount,
                 Inner demo) {
    }

    @Test
    void keysComeFromComponentsInOrderWithSnakeCaseNamesAndTypedDefaults() {
        List<SettingKey> keys = SettingsBinder.keys(Outer.class);
        assertEquals(List.of("learner.hidden", "learner.name", "learner.tags", "learner.steps",
                "learner.demo.keep_ratio", "learner.demo.colour"), keys.stream().map(SettingKey::name).toList());
        assertEquals(SettingKey.Kind.INT_LIST, keys.get(0).kind());
        assertEquals(List.of(3, 4), keys.get(0).defaultValue());
        assertEquals("(none)", keys.get(1).defaultText());
        assertEquals(List.of("a", "b"), keys.get(2).allowed());
        assertEquals(7L, keys.get(3).defaultValue());
        assertEquals(0.5, keys.get(4).defaultValue());
        assertEquals(List.of("dark-red", "blue"), keys.get(5).allowed());
        assertEquals(Outer.class, keys.get(0).piece());
        assertEquals(Inner.class, keys.get(4).piece());
    }

    @Test
    void bindsConfigValuesIntoTheRecord() {
        Map<String, Object> v = Map.of("learner.hidden", List.of(5), "learner.name", "x", "learner.tags",
                List.of("b"), "learner.steps", 9L, "learner.demo.keep_ratio", 0.25, "learner.demo.colour", "blue");
        Outer o = SettingsBinder.bind(Outer.class, v::get);
        assertArrayEquals(new int[] {5}, o.hidden());
        assertEquals(9L, o.stepCount());
        assertEquals(List.of("b"), o.tags());
        assertEquals(Colour.BLUE, o.demo().colour());
        Outer d = SettingsBinder.defaults(Outer.class);
        assertArrayEquals(new int[] {3, 4}, d.hidden());
        assertEquals(Colour.DARK_RED, d.demo().colour());
    }

    @Test
    void checksGiveTheRunnersMessages() {
        assertNull(Check.POSITIVE.problem(1));
        assertEquals("must be > 0, got 0", Check.POSITIVE.problem(0));
        assertEquals("must be in [0, 1), got 1.0", Check.FRACTION.problem(1.0));
        assertEquals("must be in [0, 1], got 1.5", Check.UNIT.problem(1.5));
        assertEquals("must be >= 0, got -1", Check.NON_NEGATIVE.problem(-1));
        assertEquals("all entries must be > 0, got [3, 0]", Check.POSITIVE.problem(List.of(3, 0)));
    }

    @Settings(prefix = "x")
    record NoAnnotation(int a) {
    }

    @Settings(prefix = "x")
    record BadDefault(@Setting(def = "many", doc = "d") int a) {
    }

    record NotAPiece(@Setting(def = "1", doc = "d") int a) {
    }

    @Test
    void declarationMistakesFailNamingTheComponent() {
        assertTrue(assertThrows(IllegalStateException.class, () -> SettingsBinder.keys(NoAnnotation.class))
                .getMessage().contains("NoAnnotation.a"));
        assertTrue(assertThrows(IllegalStateException.class, () -> SettingsBinder.keys(BadDefault.class))
                .getMessage().contains("x.a: bad default 'many'"));
        assertTrue(assertThrows(IllegalStateException.class, () -> SettingsBinder.keys(NotAPiece.class))
                .getMessage().contains("is not a @Settings record"));
    }
}

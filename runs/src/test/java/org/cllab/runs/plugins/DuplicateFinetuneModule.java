package org.cllab.runs.plugins;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.spi.LearnerModule;
import org.cllab.core.spi.LearnerResources;
import org.cllab.core.spi.LearnerType;
import org.cllab.core.spi.Setting;
import org.cllab.core.spi.Settings;

/**
 * Test fixture, never listed in this module's own services: a third-party provider that registers a learner type
 * under an already-registered name ({@code finetune}), or with a key declared differently ({@code learner.lr}).
 */
public final class DuplicateFinetuneModule implements LearnerModule {
    /** A key that clashes with the MLP keys' {@code learner.lr} (other default). */
    @Settings(prefix = "learner")
    public record Clash(@Setting(def = "0.5", doc = "another learning rate") double lr) {
    }

    private final String name;

    public DuplicateFinetuneModule() {
        this("finetune");
    }

    DuplicateFinetuneModule(String name) {
        this.name = name;
    }

    @Override
    public List<LearnerType<?>> learnerTypes() {
        return List.of(new LearnerType<Clash>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String doc() {
                return "a clash";
            }

            @Override
            public Class<Clash> settings() {
                return Clash.class;
            }

            @Override
            public Set<Mode> trainingModes() {
                return EnumSet.allOf(Mode.class);
            }

            @Override
            public Set<Mode> evaluationModes(Mode training) {
                return EnumSet.of(training);
            }

            @Override
            public ContinualLearner create(Clash settings, LearnerContext context, LearnerResources resources) {
                throw new UnsupportedOperationException();
            }
        });
    }

    /** The same clash under a fresh name: only the key declaration conflicts. */
    public static final class Renamed implements LearnerModule {
        @Override
        public List<LearnerType<?>> learnerTypes() {
            return new DuplicateFinetuneModule("clash").learnerTypes();
        }
    }
}

package org.cllab.scenarios.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cllab.scenarios.spi.DatasetModule;
import org.cllab.scenarios.spi.DatasetType;

/**
 * The datasets CL-Lab reads: MNIST (10,000 digits bundled, or full IDX files), Fashion-MNIST (IDX files of the Debian
 * package {@code dataset-fashion-mnist}) and CIFAR-10 (binary batches). Nothing is downloaded.
 */
public final class StandardDatasets implements DatasetModule {
    /** Name of Fashion-MNIST in {@code scenario.dataset}. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Default location of the Debian package {@code dataset-fashion-mnist}. */
    public static final Path FASHION_MNIST_DEFAULT = Path.of("/usr/share/datasets/fashion-mnist");

    @Override
    public List<DatasetType> datasets() {
        return List.of(new DatasetType() {
            @Override
            public String name() {
                return "mnist";
            }

            @Override
            public String doc() {
                return "the bundled 10,000 MNIST digits (7,996 train / 2,004 test) or IDX files in "
                        + "`scenario.data_dir`";
            }

            @Override
            public int classes() {
                return 10;
            }

            @Override
            public Optional<ImageSet[]> bundled() {
                return Optional.of(BundledMnist.loadTrainTest());
            }

            @Override
            public ImageSet[] load(Path dir) {
                return IdxDirectory.loadTrainTest(dir);
            }
        }, new DatasetType() {
            @Override
            public String name() {
                return FASHION_MNIST;
            }

            @Override
            public String doc() {
                return "IDX files from `scenario.data_dir` (default `/usr/share/datasets/fashion-mnist`, Debian package "
                        + "`dataset-fashion-mnist`)";
            }

            @Override
            public int classes() {
                return 10;
            }

            @Override
            public Optional<Path> defaultDirectory() {
                return Optional.of(FASHION_MNIST_DEFAULT);
            }

            @Override
            public String installHint() {
                return "install the Debian package dataset-fashion-mnist";
            }

            @Override
            public ImageSet[] load(Path dir) {
                if (!Files.isDirectory(dir)) {
                    throw new DataFileException(dir.toString(), "directory not found");
                }
                return IdxDirectory.loadTrainTest(dir);
            }

            @Override
            public String explain(DataFileException e) {
                String m = e.getMessage();
                return m.contains("not found") && !m.contains("dataset-fashion-mnist")
                        ? m + " (Fashion-MNIST comes from the Debian package dataset-fashion-mnist)" : m;
            }
        }, new DatasetType() {
            @Override
            public String name() {
                return "cifar10";
            }

            @Override
            public String doc() {
                return "CIFAR-10 binary batches in `scenario.data_dir`";
            }

            @Override
            public int classes() {
                return CifarBinaryReader.NUM_CLASSES;
            }

            @Override
            public String expectedFiles() {
                return "the CIFAR-10 binary batches";
            }

            @Override
            public ImageSet[] load(Path dir) {
                return CifarBinaryReader.loadTrainTest(dir);
            }
        });
    }
}

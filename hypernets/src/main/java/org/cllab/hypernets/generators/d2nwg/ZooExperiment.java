package org.cllab.hypernets.generators.d2nwg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cllab.core.spi.SettingProblem;
import org.cllab.core.spi.ZooModule.ZooProblem;

/**
 * The offline D2NWG experiment of {@code docs/results/d2nwg.md}, per generator seed: the generator is trained on the
 * zoo's seen tasks; then (1) seen tasks: weights generated from a support set of the task's training split, the best
 * of {@code samples} on the task's validation split kept, test accuracy against the zoo's mean; (2) the same without
 * selection, conditioned on the task's own vs another seen task's support set; (3) held-out tasks: zero-shot generated
 * weights vs random weights vs the average of the zoo's weights, and Adam fine-tuning from generated vs random
 * weights, counting steps until the validation accuracy reaches the zoo's mean validation accuracy of that task.
 * Test data is only ever reported, never used to choose.
 */
public final class ZooExperiment {
    /** {@code generator.*} and {@code experiment.*} keys. */
    public record Settings(GeneratorSettings generator, int[] seeds, int finetuneSteps, int evalEvery, int trainTasks) {
        static Settings read(Keys k) {
            GeneratorSettings d = GeneratorSettings.defaults();
            GeneratorSettings g = new GeneratorSettings(k.i("generator.latent", d.latent()),
                    k.i("generator.vae_hidden", d.vaeHidden()), k.d("generator.kl_weight", d.klWeight()),
                    k.i("generator.vae_epochs", d.vaeEpochs()), k.i("generator.embed", d.embed()),
                    k.i("generator.cond_dim", d.condDim()), k.i("generator.hidden", d.hidden()),
                    k.i("generator.time_dim", d.timeDim()), k.i("generator.steps", d.steps()),
                    k.i("generator.train_steps", d.trainSteps()), k.i("generator.batch", d.batch()),
                    k.d("generator.lr", d.lr()), k.d("generator.ema", d.ema()), k.i("generator.ddim_steps",
                    d.ddimSteps()), k.i("generator.shots", d.shots()), k.i("generator.samples", d.samples()),
                    k.b("generator.scale_latents", d.scaleLatents()), k.b("generator.row_chunks", d.rowChunks()));
            try {
                g.check();
            } catch (IllegalArgumentException e) {
                throw new SettingProblem("generator", e.getMessage());
            }
            Settings s = new Settings(g, k.ints("experiment.seeds", new int[] {0, 1, 2}),
                    k.i("experiment.finetune_steps", 300), k.i("experiment.eval_every", 5),
                    k.i("experiment.train_tasks", 0));
            if (s.trainTasks < 0) {
                throw new SettingProblem("experiment.train_tasks", "must be >= 0 (0: all seen tasks), got "
                        + s.trainTasks);
            }
            Keys.positive("experiment.finetune_steps", s.finetuneSteps);
            Keys.positive("experiment.eval_every", s.evalEvery);
            if (s.seeds.length == 0) {
                throw new SettingProblem("experiment.seeds", "at least one seed");
            }
            return s;
        }
    }

    private ZooExperiment() {
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    /** The best of {@code ws} on the validation split (first on ties). */
    static double[] bestOnVal(List<double[]> ws, ZooData.Split val, int classes, int dim) {
        double[] best = null;
        double bestAcc = -1;
        for (double[] w : ws) {
            double a = Head.accuracy(w, classes, dim, val.x(), val.y());
            if (a > bestAcc) {
                bestAcc = a;
                best = w;
            }
        }
        return best;
    }

    public static void run(ZooSettings zs, Settings es, Path zooDir, Path out, PrintStream log) throws IOException {
        long t0 = System.nanoTime();
        Zoo.Contents zoo = Zoo.read(zooDir);
        Path hp = zooDir.resolve("zoo.json");
        if (!zoo.header().path("settings").equals(Zoo.identityNode(zs))) {
            throw new ZooProblem(hp, "built with other zoo.* settings than the config");
        }
        var enc = Zoo.encoder(zs.encoder());
        if (!enc.parameterHash().equals(zoo.header().path("encoder").path("parameter_sha256").asText())) {
            throw new ZooProblem(hp, "built with another encoder than zoo.encoder " + zs.encoder());
        }
        ZooData data = new ZooData(zs.fashionDir(), enc);
        int dim = zoo.featureDim();
        int classes = zoo.classes();
        List<ZooData.TaskSplits> splits = new ArrayList<>();
        for (Zoo.ZooTask t : zoo.tasks()) {
            splits.add(data.splits(t.spec(), zs.seed(), zs.trainPerClass(), zs.valPerClass(), zs.testPerClass()));
        }
        double dataSeconds = (System.nanoTime() - t0) / 1e9;
        log.printf("d2nwg: zoo of %d tasks read and %d splits encoded in %.1f s%n", zoo.tasks().size(), splits.size(),
                dataSeconds);
        List<Integer> seen = new ArrayList<>();
        List<Integer> unseen = new ArrayList<>();
        for (int i = 0; i < zoo.tasks().size(); i++) {
            (zoo.tasks().get(i).heldOut() ? unseen : seen).add(i);
        }
        if (es.trainTasks() > 0 && es.trainTasks() < seen.size()) { // a smaller zoo: its first trainTasks seen tasks
            seen = new ArrayList<>(seen.subList(0, es.trainTasks()));
        }
        List<Generator.Example> examples = new ArrayList<>();
        double[] avg = new double[zoo.weightsPerVector()];
        int nAvg = 0;
        for (int i : seen) {
            for (Zoo.Entry e : zoo.tasks().get(i).entries()) {
                examples.add(new Generator.Example(e.weights(), i));
                for (int j = 0; j < avg.length; j++) {
                    avg[j] += e.weights()[j];
                }
                nAvg++;
            }
        }
        for (int j = 0; j < avg.length; j++) {
            avg[j] /= nAvg;
        }
        GeneratorSettings gs = es.generator();
        Generator.SupportSource src = (task, shots, r) -> ZooData.support(splits.get(task).train(), classes, shots,
                dim, r);
        ObjectNode root = Zoo.JSON.createObjectNode();
        root.set("zoo", zoo.header().path("settings"));
        root.set("generator", Zoo.JSON.valueToTree(gs));
        root.put("zoo_build_seconds", zoo.tasks().stream().mapToDouble(Zoo.ZooTask::seconds).sum());
        root.put("zoo_vectors", zoo.tasks().stream().mapToInt(t -> t.entries().size()).sum());
        root.put("data_seconds", dataSeconds);
        root.put("seen_tasks", seen.size());
        root.put("unseen_tasks", unseen.size());
        root.put("weights_per_vector", zoo.weightsPerVector());
        ArrayNode runs = root.putArray("seeds");
        for (int seed : es.seeds()) {
            ObjectNode r = runs.addObject();
            r.put("seed", seed);
            SplittableRandom rng = new SplittableRandom(seed * 31L + 7);
            long g0 = System.nanoTime();
            Generator gen = new Generator(gs, classes, dim, Head.segments(classes, dim), seed);
            double[] losses = gen.fit(examples, src, rng.split(), log);
            r.put("train_seconds", (System.nanoTime() - g0) / 1e9);
            r.put("vae_loss", losses[0]);
            r.put("eps_loss", losses[1]);
            log.printf("d2nwg seed %d: generator trained in %.1f s (VAE loss %.4f, eps loss %.4f)%n", seed,
                    (System.nanoTime() - g0) / 1e9, losses[0], losses[1]);
            ObjectNode diag = r.putObject("diagnostics");
            diag.put("latent_scale", gen.latentScale[0]);
            diag.put("latent_mean_abs", gen.latentStats[0]);
            diag.put("latent_sd_mean", gen.latentStats[1]);
            diag.put("latent_sd_max", gen.latentStats[2]);
            double[] recAcc = new double[seen.size()];
            double[] zooScale = new double[4];
            double[] genScale = new double[4];
            for (int q = 0; q < seen.size(); q++) {
                int i = seen.get(q);
                ZooData.TaskSplits sp = splits.get(i);
                List<double[]> zw = new ArrayList<>();
                List<double[]> rw = new ArrayList<>();
                for (Zoo.Entry e : zoo.tasks().get(i).entries()) {
                    zw.add(e.weights());
                    rw.add(gen.reconstruct(e.weights()));
                }
                recAcc[q] = meanAcc(rw, sp.test(), classes, dim);
                addTo(zooScale, scale(zw, sp.val(), classes, dim), seen.size());
            }
            diag.put("vae_reconstruction_test", mean(recAcc));
            diag.set("zoo_seen", scaleNode(zooScale, null));
            log.printf("d2nwg seed %d: latents mean|mu| %.3f, sd %.3f (max %.3f); VAE reconstructions of the seen heads: "
                    + "test %.4f; zoo heads |W| %.2f |b| %.2f logit sd %.2f max p %.3f%n", seed, gen.latentStats[0],
                    gen.latentStats[1], gen.latentStats[2], mean(recAcc), zooScale[0], zooScale[1], zooScale[2],
                    zooScale[3]);
            // (1) and (2) on seen tasks
            double[] gen1 = new double[seen.size()];
            double[] zooMean = new double[seen.size()];
            double[] own = new double[seen.size()];
            double[] gen1Val = new double[seen.size()];
            double[] ownVal = new double[seen.size()];
            double[] other = new double[seen.size()];
            long genNanos = 0;
            int genCalls = 0;
            for (int q = 0; q < seen.size(); q++) {
                int i = seen.get(q);
                ZooData.TaskSplits sp = splits.get(i);
                SplittableRandom tr = new SplittableRandom(seed * 1009L + i);
                long s0 = System.nanoTime();
                List<double[]> ws = gen.sample(src.support(i, gs.shots(), tr), gs.samples(), tr);
                genNanos += System.nanoTime() - s0;
                genCalls++;
                double[] best = bestOnVal(ws, sp.val(), classes, dim);
                gen1[q] = Head.accuracy(best, classes, dim, sp.test().x(), sp.test().y());
                gen1Val[q] = Head.accuracy(best, classes, dim, sp.val().x(), sp.val().y());
                ownVal[q] = meanAcc(ws, sp.val(), classes, dim);
                addTo(genScale, scale(List.of(best), sp.val(), classes, dim), seen.size());
                zooMean[q] = zoo.tasks().get(i).meanTestAccuracy();
                own[q] = meanAcc(ws, sp.test(), classes, dim);
                int j = seen.get((q + 1) % seen.size());
                List<double[]> wo = gen.sample(src.support(j, gs.shots(), tr), gs.samples(), tr);
                other[q] = meanAcc(wo, sp.test(), classes, dim);
            }
            diag.set("generated_seen", scaleNode(genScale, gen1));
            r.put("seen_generated_val", mean(gen1Val));
            r.put("own_condition_val", mean(ownVal));
            r.put("seen_generated_test", mean(gen1));
            r.put("seen_zoo_mean_test", mean(zooMean));
            r.put("seen_ratio", mean(gen1) / mean(zooMean));
            r.put("own_condition_test", mean(own));
            r.put("other_condition_test", mean(other));
            r.put("condition_drop", mean(own) - mean(other));
            r.put("generation_seconds_per_task", genNanos / 1e9 / genCalls);
            log.printf("d2nwg seed %d: seen tasks generated %.4f vs zoo %.4f (ratio %.3f); own condition %.4f, other "
                    + "%.4f%n", seed, mean(gen1), mean(zooMean), mean(gen1) / mean(zooMean), mean(own), mean(other));
            // (3) held-out tasks
            double[] zs0 = new double[unseen.size()];
            double[] zsVal = new double[unseen.size()];
            double[] rnd = new double[unseen.size()];
            double[] av = new double[unseen.size()];
            double[] ref = new double[unseen.size()];
            int evals = es.finetuneSteps() / es.evalEvery() + 1;
            double[] curveGen = new double[evals];
            double[] curveRnd = new double[evals];
            ArrayNode reach = r.putArray("unseen_tasks");
            double[] uGen = new double[4];
            double[] uRnd = new double[4];
            double[] uZoo = new double[4];
            for (int q = 0; q < unseen.size(); q++) {
                int i = unseen.get(q);
                ZooData.TaskSplits sp = splits.get(i);
                SplittableRandom tr = new SplittableRandom(seed * 2003L + i);
                List<double[]> ws = gen.sample(src.support(i, gs.shots(), tr), gs.samples(), tr);
                double[] g = bestOnVal(ws, sp.val(), classes, dim).clone();
                double[] rw = Head.init(classes, dim, tr);
                zs0[q] = Head.accuracy(g, classes, dim, sp.test().x(), sp.test().y());
                zsVal[q] = Head.accuracy(g, classes, dim, sp.val().x(), sp.val().y());
                addTo(uGen, scale(List.of(g), sp.val(), classes, dim), unseen.size());
                addTo(uRnd, scale(List.of(rw), sp.val(), classes, dim), unseen.size());
                addTo(uZoo, scale(zoo.tasks().get(i).entries().stream().map(Zoo.Entry::weights).toList(), sp.val(),
                        classes, dim), unseen.size());
                rnd[q] = Head.accuracy(rw, classes, dim, sp.test().x(), sp.test().y());
                av[q] = Head.accuracy(avg, classes, dim, sp.test().x(), sp.test().y());
                ref[q] = zoo.tasks().get(i).entries().stream().mapToDouble(Zoo.Entry::valAccuracy).average()
                        .orElseThrow();
                int[] steps = new int[2];
                double[][] curves = {curveGen, curveRnd};
                double[][] inits = {g, rw};
                for (int v = 0; v < 2; v++) {
                    SplittableRandom fr = new SplittableRandom(seed * 4001L + i); // same batches for both inits
                    Head.Trainer t = new Head.Trainer(inits[v].clone(), classes, dim, sp.train().x(), sp.train().y(),
                            zs.batch(), zs.lr());
                    steps[v] = -1;
                    for (int k = 0; k <= es.finetuneSteps(); k++) {
                        if (k % es.evalEvery() == 0) {
                            double a = Head.accuracy(t.weights(), classes, dim, sp.val().x(), sp.val().y());
                            curves[v][k / es.evalEvery()] += a / unseen.size();
                            if (steps[v] < 0 && a >= ref[q]) {
                                steps[v] = k;
                            }
                        }
                        if (k < es.finetuneSteps()) {
                            t.step(fr);
                        }
                    }
                }
                ObjectNode u = reach.addObject();
                u.put("task", i);
                u.put("zoo_mean_val", ref[q]);
                u.put("steps_from_generated", steps[0]);
                u.put("steps_from_random", steps[1]);
            }
            diag.set("generated_unseen", scaleNode(uGen, zs0));
            diag.set("random_unseen", scaleNode(uRnd, rnd));
            diag.set("zoo_unseen", scaleNode(uZoo, null));
            log.printf("d2nwg seed %d: held-out heads |W| / |b| / logit sd / max p: generated %.2f %.2f %.2f %.3f, "
                    + "random %.2f %.2f %.2f %.3f, zoo %.2f %.2f %.2f %.3f%n", seed, uGen[0], uGen[1], uGen[2], uGen[3],
                    uRnd[0], uRnd[1], uRnd[2], uRnd[3], uZoo[0], uZoo[1], uZoo[2], uZoo[3]);
            r.put("unseen_generated_val", mean(zsVal));
            r.put("unseen_generated_test", mean(zs0));
            r.put("unseen_random_test", mean(rnd));
            r.put("unseen_zoo_average_test", mean(av));
            r.put("unseen_zoo_mean_test", unseen.stream().mapToDouble(i -> zoo.tasks().get(i).meanTestAccuracy())
                    .average().orElse(Double.NaN));
            r.set("curve_generated_val", Zoo.JSON.valueToTree(curveGen));
            r.set("curve_random_val", Zoo.JSON.valueToTree(curveRnd));
            log.printf("d2nwg seed %d: unseen tasks zero-shot %.4f (validation %.4f), random %.4f, zoo average %.4f%n",
                    seed, mean(zs0), mean(zsVal), mean(rnd), mean(av));
            root.put("eval_every", es.evalEvery());
            root.put("total_seconds", (System.nanoTime() - t0) / 1e9);
            java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
            Zoo.write(out, Zoo.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)); // after every seed
        }
        log.printf("d2nwg: results in %s (%.0f s)%n", out, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Scale diagnostics of heads {@code ws} on split {@code s}: {mean ||W||_F, mean ||b||, mean over rows of the
     * standard deviation of the logits across classes, mean largest softmax probability}.
     */
    static double[] scale(List<double[]> ws, ZooData.Split s, int classes, int dim) {
        double[] out = new double[4];
        for (double[] w : ws) {
            double nw = 0;
            double nb = 0;
            for (int i = 0; i < classes * dim; i++) {
                nw += w[i] * w[i];
            }
            for (int i = classes * dim; i < w.length; i++) {
                nb += w[i] * w[i];
            }
            out[0] += Math.sqrt(nw) / ws.size();
            out[1] += Math.sqrt(nb) / ws.size();
            double sd = 0;
            double pmax = 0;
            for (int i = 0; i < s.size(); i++) {
                double[] z = Head.logits(w, classes, dim, s.x(), i);
                double m = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    m += v / classes;
                    max = Math.max(max, v);
                }
                double v2 = 0;
                double sum = 0;
                for (double v : z) {
                    v2 += (v - m) * (v - m) / classes;
                    sum += Math.exp(v - max);
                }
                sd += Math.sqrt(v2);
                pmax += 1 / sum;
            }
            out[2] += sd / s.size() / ws.size();
            out[3] += pmax / s.size() / ws.size();
        }
        return out;
    }

    static ObjectNode scaleNode(double[] a, double[] acc) {
        ObjectNode o = Zoo.JSON.createObjectNode();
        o.put("weight_norm", a[0]);
        o.put("bias_norm", a[1]);
        o.put("logit_sd", a[2]);
        o.put("max_softmax", a[3]);
        if (acc != null) {
            o.put("test_accuracy", mean(acc));
        }
        return o;
    }

    static void addTo(double[] sum, double[] a, int n) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += a[i] / n;
        }
    }

    static double meanAcc(List<double[]> ws, ZooData.Split s, int classes, int dim) {
        double a = 0;
        for (double[] w : ws) {
            a += Head.accuracy(w, classes, dim, s.x(), s.y());
        }
        return a / ws.size();
    }
}

package org.cllab.runs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cllab.runs.RepoRoot;
import org.cllab.runs.cli.ClRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code cl serve} in a real browser: Debian's headless chromium, driven through Debian's chromedriver, watches the
 * demo sweep ({@code runs/configs/sweep-demo.yaml}, 8 runs, 2 workers) while it runs and after it ends, next to a
 * sweep whose one run fails (its data directory does not exist). Screenshots go to
 * {@code runs/target/serve-screenshots/}.
 */
@Tag("browser")
class ServeBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "serve-screenshots");

    @TempDir
    Path tmp;
    private ResultsServer server;
    private ChromeDriver browser;

    @BeforeEach
    void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the browser tier needs Debian's chromium and chromium-driver (apt-get install chromium "
                    + "chromium-driver; .ci/run installs them)");
        }
        Files.createDirectories(SHOTS);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + tmp.resolve("chromium-profile"),
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, o);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void demoSweepWhileItRunsAndAfter() throws Exception {
        try {
            watchTheDemoSweep();
        } catch (AssertionError | RuntimeException e) {
            screenshot("failure.png"); // what the page showed when the test failed
            throw e;
        }
    }

    private void watchTheDemoSweep() throws Exception {
        Path root = tmp.resolve("results");
        Path repo = RepoRoot.path();
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, "base: " + repo.resolve("runs/configs/split-mnist-finetune.yaml") + "\n"
                + "set:\n  run.progress: never\n  scenario.dataset: fashion-mnist\n"
                + "  scenario.data_dir: " + tmp.resolve("no-such-dir") + "\nseeds: [0]\n");
        ClRun.Result b = ClRun.run("sweep", broken.toString(), "--out", root.resolve("broken").toString());
        assertEquals(1, b.code(), b.out() + b.err());

        server = ResultsServer.start(root, "127.0.0.1", 0);
        String url = "http://127.0.0.1:" + server.port() + "/";
        browser.get(url);
        JavascriptExecutor js = browser;
        js.executeScript("window.__sameDocument = 'yes';");
        Path demo = root.resolve("demo");
        // The demo sweep as committed, with 8 epochs per task instead of 1: on a quiet machine a 1-epoch run ends
        // within one poll of the page (1.5 s), too fast to see its progress move; 8 epochs keep each run alive for
        // several polls. Everything else (learners, grid, seeds, 2 workers) is the committed demo.
        Path demoFile = tmp.resolve("sweep-demo-8-epochs.yaml");
        Files.writeString(demoFile, Files.readString(repo.resolve("runs/configs/sweep-demo.yaml"))
                .replace("base: split-mnist-finetune.yaml",
                        "base: " + repo.resolve("runs/configs/split-mnist-finetune.yaml"))
                .replace("learner.epochs: 1", "learner.epochs: 8"));
        assertTrue(Files.readString(demoFile).contains("learner.epochs: 8"), "the demo sweep still sets epochs");
        CompletableFuture<ClRun.Result> sweep = CompletableFuture.supplyAsync(() -> ClRun.run("sweep",
                demoFile.toString(), "--out", demo.toString(), "--workers", "2"));

        // While it runs: 9 rows (8 of the demo + the broken one), at most 2 running, finished rows are finished on
        // disk, and one running run's progress advances in the same document (no reload).
        Map<String, List<Double>> progressSeen = new TreeMap<>();
        boolean sawMixed = false;
        boolean shotRunning = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (!sweep.isDone()) {
            if (System.nanoTime() > deadline) {
                fail("the demo sweep did not end within 15 minutes");
            }
            Map<String, String[]> rows = rows();
            if (rows.size() == 9) {
                int running = 0;
                int finished = 0;
                for (Map.Entry<String, String[]> e : rows.entrySet()) {
                    String state = e.getValue()[0];
                    if (state.equals("running")) {
                        running++;
                        progressSeen.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                .add(Double.parseDouble(e.getValue()[1]));
                    }
                    if (state.equals("finished")) {
                        finished++;
                        assertTrue(Files.exists(root.resolve(e.getKey()).resolve("summary.json")), e.getKey());
                    }
                }
                assertTrue(running <= 2, "at most 2 workers: " + running);
                if (running > 0 && finished > 0 && !shotRunning) {
                    sawMixed = true;
                    shotRunning = true;
                    screenshot("running.png");
                }
            }
            Thread.sleep(400);
        }
        ClRun.Result r = sweep.get();
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("yes", js.executeScript("return window.__sameDocument || null;"), "the page was not reloaded");
        assertTrue(sawMixed, "saw running and finished runs at the same time");
        assertTrue(progressSeen.values().stream().anyMatch(ServeBrowserTest::advances),
                "a running run's progress advanced without reload: " + progressSeen);

        // After it: every state right, the failed run with its reason.
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> rows().values().stream()
                .filter(v -> v[0].equals("finished")).count() == 8);
        Map<String, String[]> rows = rows();
        assertEquals(9, rows.size(), rows.keySet().toString());
        List<String> demoRuns = new ArrayList<>();
        for (Map.Entry<String, String[]> e : rows.entrySet()) {
            if (e.getKey().startsWith("broken/")) {
                assertEquals("failed", e.getValue()[0]);
                String reason = browser.findElement(By.cssSelector("#runs tr[data-run='" + e.getKey() + "'] .reason"))
                        .getText();
                assertTrue(reason.contains("scenario.data_dir") && reason.contains("directory not found"), reason);
            } else {
                assertEquals("finished", e.getValue()[0], e.getKey());
                assertEquals(1.0, Double.parseDouble(e.getValue()[1]));
                demoRuns.add(e.getKey());
            }
        }
        assertEquals(8, demoRuns.size());
        assertEquals("8 finished", browser.findElement(By.cssSelector("header [data-count='finished']")).getText());
        assertEquals("1 failed", browser.findElement(By.cssSelector("header [data-count='failed']")).getText());
        assertEquals(2, browser.findElements(By.cssSelector("#sweeps table.compare")).size(),
                "the demo sweep's comparison: class- and task-incremental");

        // Every run's heatmaps equal its accuracy_matrix_<mode>.csv, cell by cell.
        int cells = 0;
        for (String run : demoRuns) {
            cells += checkHeatmaps(run, root.resolve(run));
        }
        assertEquals(8 * 2 * 6 * 5, cells, "8 runs x 2 modes x 6 rows x 5 tasks");
        screenshot("finished.png");

        openRun(rows.keySet().stream().filter(k -> k.startsWith("broken/")).findFirst().orElseThrow());
        // The run view is redrawn while the page polls: read the reason again when the element was replaced.
        String box = new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    String t = d.findElement(By.cssSelector("#run [data-reason]")).getText();
                    return t.isEmpty() ? null : t;
                });
        assertTrue(box.contains("directory not found"), box);
        screenshot("failed.png");
        assertEquals("yes", js.executeScript("return window.__sameDocument || null;"), "the page was not reloaded");
    }

    /** Whether the values rise at some point and stay below 1 there (seen while running). */
    private static boolean advances(List<Double> values) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) > values.get(i - 1) && values.get(i) < 1) {
                return true;
            }
        }
        return false;
    }

    /** Row of each run in the page: dir -> {state, progress}. */
    @SuppressWarnings("unchecked")
    private Map<String, String[]> rows() {
        List<List<String>> raw = (List<List<String>>) browser.executeScript("return Array.from("
                + "document.querySelectorAll('#runs tbody tr')).map(tr => [tr.getAttribute('data-run'), "
                + "tr.getAttribute('data-state'), tr.getAttribute('data-progress')]);");
        Map<String, String[]> out = new LinkedHashMap<>();
        for (List<String> r : raw) {
            out.put(r.get(0), new String[] {r.get(1), r.get(2)});
        }
        return out;
    }

    /** Clicks the run's row (again when the row was redrawn under the click) and waits for its details. */
    private void openRun(String dir) {
        for (int attempt = 0; ; attempt++) {
            try {
                WebElement cell = browser.findElement(By.cssSelector("#runs tr[data-run='" + dir + "'] td.mono"));
                browser.executeScript("arguments[0].scrollIntoView({block: 'center'});", cell); // not under the header
                cell.click();
                break;
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> dir.equals(
                d.findElement(By.id("run")).getAttribute("data-run")));
    }

    /** Opens the run and compares each heatmap cell with the CSV; returns the number of cells compared. */
    private int checkHeatmaps(String dir, Path runDir) throws IOException {
        openRun(dir);
        List<Path> csvs;
        try (Stream<Path> s = Files.list(runDir)) {
            csvs = s.filter(p -> p.getFileName().toString().startsWith("accuracy_matrix_")).sorted().toList();
        }
        assertEquals(2, csvs.size(), dir);
        int n = 0;
        for (Path csv : csvs) {
            String name = csv.getFileName().toString();
            String mode = name.substring("accuracy_matrix_".length(), name.length() - 4);
            List<String> lines = Files.readAllLines(csv);
            @SuppressWarnings("unchecked")
            List<List<String>> shown = (List<List<String>>) browser.executeScript("return Array.from(document"
                    + ".querySelectorAll(\"#run table.heatmap[data-mode='" + mode + "'] td[data-row]\")).map(td => "
                    + "[td.getAttribute('data-row'), td.getAttribute('data-col'), td.getAttribute('data-value'), "
                    + "td.textContent]);");
            assertEquals((lines.size() - 1) * (lines.get(0).split(",").length - 1), shown.size(), dir + " " + mode);
            Map<String, String> byCell = new TreeMap<>();
            for (List<String> c : shown) {
                byCell.put(c.get(0) + "," + c.get(1), c.get(2));
                assertFalse(c.get(3).isBlank(), "cell text shown");
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                for (int j = 1; j < f.length; j++) {
                    String v = byCell.get(f[0] + "," + j);
                    assertNotNull(v, dir + " " + mode + " row " + f[0] + " col " + j);
                    assertEquals(Double.parseDouble(f[j]), Double.parseDouble(v),
                            dir + " " + mode + " row " + f[0] + " col " + j);
                    n++;
                }
            }
        }
        return n;
    }

    private void screenshot(String name) throws IOException, InterruptedException {
        JavascriptExecutor js = browser;
        js.executeScript("window.scrollTo(0, 0);");
        long height = ((Number) js.executeScript("return document.documentElement.scrollHeight;")).longValue();
        Dimension old = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(1400, (int) Math.min(6000, Math.max(800, height))));
        try {
            js.executeScript("window.scrollTo({top: 0, behavior: 'instant'});");
            Thread.sleep(300);
            Files.write(SHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.manage().window().setSize(old);
        }
    }
}

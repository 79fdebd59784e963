package org.cllab.runs.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cllab.runs.config.ConfigException;
import org.cllab.runs.serve.ResultsServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cl serve DIR}: a live, read-only web page over a run, a sweep or a folder of them, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a live, read-only web page over DIR (a run, a sweep, or a folder of them): every run "
                + "with its state, progress and ETA, accuracy matrices, ACC curves, metrics, config, provenance and "
                + "log; per sweep the comparison table of the reports. It updates itself while runs progress.",
            "Binds 127.0.0.1 unless --host says otherwise (then a warning is logged). Stop with Ctrl-C."})
public final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "results directory: a run, a sweep or a folder of them")
    Path dir;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8765",
            description = "TCP port (default ${DEFAULT-VALUE}; 0: any free port)")
    int port;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "address to bind (default ${DEFAULT-VALUE}, this machine only)")
    String host;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("serve", dir.toString(), "is not a directory");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("serve", "--port", port + " is not a port number (0..65535)");
        }
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException("serve", "--host", host + ": unknown host");
        }
        ResultsServer server;
        try {
            server = ResultsServer.start(dir, host, port);
        } catch (IOException e) {
            throw new ConfigException("serve", "--port", "cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + ")");
        }
        server.awaitWarmUp(); // DIR read once, so the first page does not pay for loading the report code
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "cllab-serve-stop"));
        String shown = server.address().getAddress().getHostAddress();
        if (shown.contains(":")) {
            shown = "[" + shown + "]";
        }
        System.out.println("serving " + dir.toAbsolutePath().normalize() + " at http://" + shown + ":" + server.port()
                + "/ (read-only; Ctrl-C to stop)");
        System.out.flush();
        stopped.await();
        return 0;
    }
}

package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.ConsoleOutput;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleCommandTest {
    private XlHarness xl;
    private ExecutorService executor;
    private PipedOutputStream keyboard;
    private PipedInputStream stdin;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(0).setName("Domain-0").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(3).setName("web").build());
        executor = Executors.newSingleThreadExecutor();
        stdin = new PipedInputStream(4096);
        keyboard = new PipedOutputStream(stdin);
    }

    @AfterEach
    void stop() throws Exception {
        keyboard.close();
        executor.shutdownNow();
        xl.close();
    }

    private Future<XlHarness.Result> console(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "console";
        System.arraycopy(args, 0, full, 1, args.length);
        return executor.submit(() -> xl.run(stdin, full));
    }

    private void type(String text) throws IOException {
        keyboard.write(text.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    private void guestWrites(String text) {
        xl.host.console.onNext(ConsoleOutput.newBuilder().setData(ByteString.copyFromUtf8(text)).build());
    }

    private ByteString nextInput() throws InterruptedException {
        ByteString input = xl.host.consoleInputs.poll(10, TimeUnit.SECONDS);
        if (input == null) {
            throw new AssertionError("no console input reached dom0");
        }
        return input;
    }

    @Test
    void outputArrivesInputIsForwardedAndTheStreamsEndEndsXl() throws Exception {
        Future<XlHarness.Result> run = console("web");
        Await.until("the console to attach", () -> xl.host.console != null);

        guestWrites("login: ");
        type("root\n");
        assertEquals("root\n", nextInput().toStringUtf8());
        guestWrites("\u00e9t\u00e9 \u0001\n");
        xl.host.console.onCompleted(); // the domain was destroyed

        XlHarness.Result r = run.get(10, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals("login: \u00e9t\u00e9 \u0001\n".getBytes(StandardCharsets.UTF_8), r.rawOut());
        assertEquals("", r.err());
    }

    @Test
    void theEscapeCharacterAloneDetaches() throws Exception {
        Future<XlHarness.Result> run = console("3");
        Await.until("the console to attach", () -> xl.host.console != null);

        type("ls\n");
        assertEquals("ls\n", nextInput().toStringUtf8());
        type("\u001d");

        XlHarness.Result r = run.get(10, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.err());
        Await.until("dom0 to see the client leave", () -> xl.host.consoleClientDone);
        assertTrue(xl.host.consoleInputs.isEmpty(), "the escape character reached the guest");
    }

    @Test
    void theEscapeCharacterInsideOtherInputIsForwarded() throws Exception {
        Future<XlHarness.Result> run = console("web");
        Await.until("the console to attach", () -> xl.host.console != null);

        type("a\u001db");
        assertEquals("a\u001db", nextInput().toStringUtf8());
        xl.host.console.onCompleted();

        assertEquals(0, run.get(10, TimeUnit.SECONDS).exit());
    }

    @Test
    void anotherEscapeCharacterWithCaretNotation() throws Exception {
        Future<XlHarness.Result> run = console("-e", "^a", "web");
        Await.until("the console to attach", () -> xl.host.console != null);

        type("\u001d");
        assertEquals("\u001d", nextInput().toStringUtf8());
        type("\u0001");

        assertEquals(0, run.get(10, TimeUnit.SECONDS).exit());
    }

    @Test
    void atTheEndOfInputOutputKeepsComingUntilTheStreamEnds() throws Exception {
        Future<XlHarness.Result> run = console("web");
        Await.until("the console to attach", () -> xl.host.console != null);

        type("echo hi\n");
        keyboard.close();
        assertEquals("echo hi\n", nextInput().toStringUtf8());
        Await.until("the half-close to reach dom0", () -> xl.host.consoleClientDone);
        guestWrites("hi\n");
        xl.host.console.onCompleted();

        XlHarness.Result r = run.get(10, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.err());
        assertEquals("hi\n", XlHarness.utf8(r.rawOut()));
    }

    @Test
    void aTerminalIsInRawModeOnlyWhileAttached() throws Exception {
        XlHarness.FakeTerminal terminal = new XlHarness.FakeTerminal(true);
        xl.terminal = terminal;
        Future<XlHarness.Result> run = console("web");
        Await.until("raw mode", () -> terminal.rawEntered == 1);
        assertEquals(0, terminal.rawRestored);

        type("\u001d");

        assertEquals(0, run.get(10, TimeUnit.SECONDS).exit());
        assertEquals(1, terminal.rawRestored);
    }

    @Test
    void unknownDomainsAndConsolesCannotBeAttached() {
        XlHarness.Result missingId = xl.run("console", "9");
        assertEquals(1, missingId.exit());
        assertEquals("Unable to attach console\n", missingId.err());

        assertEquals("nope is an invalid domain identifier (rc=-6)\n", xl.run("console", "nope").err());
        assertEquals("Unable to attach console\n", xl.run("console", "-t", "serial", "web").err());
        assertEquals("Unable to attach console\n", xl.run("console", "-n", "1", "web").err());
        assertEquals("console type supported are: pv, serial, vuart\n", xl.run("console", "-t", "vga", "web").err());
        assertEquals("Invalid escape_character\n", xl.run("console", "-e", "^]x", "web").err());
    }

    @Test
    void thePvConsoleZeroCanBeNamed() {
        XlHarness.Result r = xl.run(new ByteArrayInputStream(new byte[] {0x1d}), "console", "-t", "pv", "-n", "0", "web");

        assertEquals(0, r.exit(), r.err());
    }
}

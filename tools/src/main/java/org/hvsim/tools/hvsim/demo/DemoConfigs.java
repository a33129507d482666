package org.hvsim.tools.hvsim.demo;

import java.util.List;

/**
 * The demo's domain configurations: ordinary {@code xl.cfg} files for the built-in Mini-OS-like kernel, each
 * running one app from its command line.
 */
final class DemoConfigs {
    /** A config file's name and text. */
    record Config(String file, String text) {
    }

    static final Config IDLE = new Config("idle.cfg", """
            # An idle guest: boots, prints its banner, then blocks until an event arrives.
            name = "idle"
            memory = 64
            vcpus = 2
            cmdline = "app=idle"
            on_poweroff = "destroy"
            """);

    static final Config CPUBURN = new Config("cpuburn.cfg", """
            # A guest that never yields: the scheduler preempts it so that the others still run.
            name = "cpuburn"
            memory = 32
            vcpus = 1
            cmdline = "app=cpuburn"
            """);

    static final Config HELLO = new Config("hello.cfg", """
            # Prints a greeting on its console and powers itself off; on_poweroff destroys it.
            name = "hello"
            memory = 32
            vcpus = 1
            cmdline = "app=hello"
            on_poweroff = "destroy"
            """);

    static final List<Config> ALL = List.of(IDLE, CPUBURN, HELLO);

    private DemoConfigs() {
    }
}

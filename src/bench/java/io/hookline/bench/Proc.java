package io.hookline.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Figures read from Linux's /proc: CPU time of a process, of all PostgreSQL processes and of the whole machine, and
 * the peak resident set of a process. CPU is in clock ticks ({@link #HZ} per second). This class is threadsafe.
 */
final class Proc {
    /** USER_HZ: 100 on every Linux the bench runs on ({@code getconf CLK_TCK}). */
    static final double HZ = 100.0;

    private Proc() {}

    /** utime + stime of one process (all its threads), in ticks; -1 when it is gone. */
    static long cpuTicks(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        return stat == null ? -1 : ticks(stat);
    }

    /** utime + stime of every process whose command is {@code postgres} (server and backends), in ticks. */
    static long postgresTicks() {
        long sum = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(
                Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                String stat = read(dir.resolve("stat"));
                if (stat != null && stat.contains("(postgres)")) {
                    sum += ticks(stat);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    /**
     * CPU ticks of a process by thread group: thread names (comm, 15 characters) with digits dropped, so
     * "executor-thread-12" and "executor-thread-3" count together. Threads that ended are not counted.
     */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> groups = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat = read(task.resolve("stat"));
                if (stat != null) {
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "#");
                    groups.merge(name, ticks(stat), Long::sum);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return groups;
    }

    /** The machine's CPU ticks since boot: {busy, total} over all cores, from the first line of /proc/stat. */
    static long[] machineTicks() {
        String stat = read(Path.of("/proc/stat"));
        if (stat == null) {
            return new long[] {0, 0};
        }
        String[] f = stat.substring(0, stat.indexOf('\n')).trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) { // idle, iowait
                idle += v;
            }
        }
        return new long[] {total - idle, total};
    }

    /** A line of /proc/pid/status in kB (VmHWM = peak RSS, VmRSS = current); -1 when unknown. */
    static long statusKb(long pid, String field) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (status == null) {
            return -1;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(
                        line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        return -1;
    }

    static String cpuModel() {
        String info = read(Path.of("/proc/cpuinfo"));
        if (info != null) {
            for (String line : info.split("\n")) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        return "unknown";
    }

    static long memTotalMb() {
        String info = read(Path.of("/proc/meminfo"));
        if (info != null) {
            for (String line : info.split("\n")) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        }
        return -1;
    }

    static List<String> loadAverage() {
        String load = read(Path.of("/proc/loadavg"));
        return load == null ? List.of() : List.of(load.trim().split("\\s+")).subList(0, 3);
    }

    /** Fields 14 and 15 (utime, stime) counted after the command, which may itself hold spaces and parentheses. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static boolean isPid(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

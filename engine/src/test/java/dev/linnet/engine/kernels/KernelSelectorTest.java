package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which kernels a JVM gets, checked in forked JVMs started with and without the incubator module. */
class KernelSelectorTest {
    private static final String WARNING = "jdk.incubator.vector is not present";

    @Test
    void withoutTheModuleTheScalarKernelsAreUsedWithOneWarning() throws Exception {
        String out = probe();
        assertTrue(out.contains("selected=scalar"), out);
        assertEquals(1, count(out, WARNING), out);
    }

    @Test
    void withTheModuleTheVectorKernelsAreUsed() throws Exception {
        String out = probe("--add-modules", "jdk.incubator.vector");
        String expected = TestData.vectorsAvailable() ? "selected=vector-512" : "selected=scalar";
        assertTrue(out.contains(expected), out);
        assertEquals(0, count(out, WARNING), out);
    }

    @Test
    void scalarCanBeForced() throws Exception {
        String out = probe("--add-modules", "jdk.incubator.vector", "-Dlinnet.kernels=scalar");
        assertTrue(out.contains("selected=scalar"), out);
        assertEquals(0, count(out, WARNING), out);
    }

    private static String probe(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KernelProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        String out = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}

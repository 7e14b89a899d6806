package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** deploy/kubernetes parsed, and the fields a working deployment needs checked. */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of(System.getProperty("stipple.repo", "..")).toAbsolutePath().resolve("deploy/kubernetes");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String file) throws Exception {
        return (Map<String, Object>) new Yaml().load(Files.readString(DIR.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object n = node;
        for (String key : path) {
            n = key.matches("\\d+") ? ((List<Object>) n).get(Integer.parseInt(key)) : ((Map<String, Object>) n).get(key);
            if (n == null) {
                throw new AssertionError("missing " + String.join(".", path) + " (at " + key + ")");
            }
        }
        return (T) n;
    }

    @Test
    void theDeploymentProbesHealthAsksForAGpuAndMountsWhatItsArgumentsName() throws Exception {
        Map<String, Object> d = load("deployment.yaml");
        assertEquals("Deployment", d.get("kind"));
        Map<String, Object> container = at(d, "spec", "template", "spec", "containers", "0");
        int grpcPort = ((Number) at(container, "ports", "0", "containerPort")).intValue();
        assertEquals("grpc", at(container, "ports", "0", "name"));
        for (String probe : new String[] {"readinessProbe", "livenessProbe"}) {
            assertEquals(grpcPort, ((Number) at(container, probe, "grpc", "port")).intValue(), probe + " asks the gRPC health service");
        }
        assertEquals(1, ((Number) at(container, "resources", "requests", "nvidia.com/gpu")).intValue());
        assertTrue(at(container, "resources", "requests", "memory") != null);
        List<String> args = at(container, "args");
        assertTrue(args.contains("--port=" + grpcPort), args.toString());
        assertTrue(args.contains("--host=0.0.0.0"), "listens beyond loopback: " + args);
        assertTrue(args.stream().anyMatch(a -> a.startsWith("--auth-tokens=")), "every interface, so tokens: " + args);
        List<Map<String, Object>> mounts = at(container, "volumeMounts");
        for (String arg : args) {
            if (arg.startsWith("--models=") || arg.startsWith("--auth-tokens=")) {
                String path = arg.substring(arg.indexOf('=') + 1);
                assertTrue(mounts.stream().anyMatch(m -> path.startsWith((String) m.get("mountPath"))), arg + " is on a mounted volume");
            }
        }
        List<Map<String, Object>> volumes = at(d, "spec", "template", "spec", "volumes");
        for (Map<String, Object> m : mounts) {
            assertTrue(volumes.stream().anyMatch(v -> v.get("name").equals(m.get("name"))), "volume " + m.get("name") + " is declared");
        }
        assertEquals((Object) at(d, "spec", "selector", "matchLabels"), at(d, "spec", "template", "metadata", "labels"));
    }

    @Test
    void theServiceIsHeadlessOnTheGrpcPortAndTheBudgetKeepsOneUp() throws Exception {
        Map<String, Object> s = load("service.yaml");
        assertEquals("None", at(s, "spec", "clusterIP"), "headless: clients balance over the pods");
        assertEquals(7860, ((Number) at(s, "spec", "ports", "0", "port")).intValue());
        Map<String, Object> pdb = load("pdb.yaml");
        assertEquals("PodDisruptionBudget", pdb.get("kind"));
        assertEquals(1, ((Number) at(pdb, "spec", "minAvailable")).intValue());
        assertEquals((Object) at(load("deployment.yaml"), "spec", "selector", "matchLabels"), at(pdb, "spec", "selector", "matchLabels"));
        assertEquals("PersistentVolumeClaim", load("models-pvc.yaml").get("kind"));
    }
}

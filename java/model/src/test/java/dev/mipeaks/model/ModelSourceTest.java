package dev.mipeaks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.ExitCode;
import dev.mipeaks.MipeaksException;
import dev.mipeaks.io.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --model as a folder or a Hugging Face id resolved offline in a hub cache built here (blobs + symbolic links). */
class ModelSourceTest {
    static final String ID = "acme/tiny-llama";

    @TempDir
    Path tmp;

    Path model;
    Path cache;
    String main;

    @BeforeEach
    void cacheWithOneModel() throws Exception {
        model = tmp.resolve("src");
        RandomCheckpoint.write(model, new RandomCheckpoint.Shape(16, 32, 2, 2, 1, 64), DType.F32, 1);
        cache = tmp.resolve("hub");
        main = HubLayout.commit("main");
        HubLayout.add(cache, ID, "main", main, model);
    }

    private static MipeaksException invalid(Runnable r) {
        MipeaksException e = assertThrows(MipeaksException.class, r::run);
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void idResolvesToTheSnapshotOfMainThroughBlobLinks() throws Exception {
        ModelSource s = ModelSource.resolve(ID, Map.of("HF_HUB_CACHE", cache.toString()));
        assertTrue(s.isHub());
        assertEquals(ID, s.id());
        assertEquals("main", s.revision());
        assertEquals(main, s.snapshot());
        assertEquals(cache.resolve("models--acme--tiny-llama/snapshots").resolve(main), s.dir());
        assertTrue(Files.isSymbolicLink(s.file("config.json")), "the snapshot's files are links into blobs/");
        // the files read through the links are the model's
        assertEquals(ModelConfig.load(model), s.config());
        try (Checkpoint ck = Checkpoint.open(s.dir(), s.config())) {
            assertEquals(Files.size(model.resolve("model.safetensors")), Files.size(s.file("model.safetensors")));
            assertTrue(ck.bytes(s.config()) > 0);
        }
        assertEquals(ID, s.recorded());
        assertEquals("tiny-llama", s.shortName());
        ObjectNode c = new ObjectMapper().createObjectNode();
        s.describe(c);
        assertEquals(ID, c.path("model").asText());
        assertEquals(main, c.path("model_snapshot").asText());
    }

    @Test
    void cacheLocationFollowsHuggingfaceHubsOrder() {
        Path home = tmp.resolve("home");
        assertEquals(Path.of("/a"), ModelSource.hubCache(Map.of("HF_HUB_CACHE", "/a", "HUGGINGFACE_HUB_CACHE", "/b",
                "HF_HOME", "/c", "HOME", home.toString())).dir());
        assertEquals(Path.of("/b"), ModelSource.hubCache(Map.of("HUGGINGFACE_HUB_CACHE", "/b", "HF_HOME", "/c")).dir());
        assertEquals(Path.of("/c/hub"), ModelSource.hubCache(Map.of("HF_HOME", "/c", "XDG_CACHE_HOME", "/x")).dir());
        assertEquals(Path.of("/x/huggingface/hub"), ModelSource.hubCache(Map.of("XDG_CACHE_HOME", "/x")).dir());
        assertEquals(home.resolve(".cache/huggingface/hub"), ModelSource.hubCache(Map.of("HOME", home.toString())).dir());
        assertEquals(home.resolve("hf/hub"), ModelSource.hubCache(Map.of("HF_HOME", "~/hf", "HOME", home.toString())).dir());
        // a blank variable is skipped (huggingface_hub would take it as the working directory)
        assertEquals(Path.of("/c/hub"), ModelSource.hubCache(Map.of("HF_HUB_CACHE", " ", "HF_HOME", "/c")).dir());
    }

    @Test
    void idIsFoundUnderHfHomeAndTheDefaultCache() throws Exception {
        Path hfHome = tmp.resolve("hfhome");
        HubLayout.add(hfHome.resolve("hub"), ID, "main", main, model);
        assertEquals(main, ModelSource.resolve(ID, Map.of("HF_HOME", hfHome.toString())).snapshot());
        Path home = tmp.resolve("home");
        HubLayout.add(home.resolve(".cache/huggingface/hub"), ID, "main", main, model);
        assertEquals(main, ModelSource.resolve(ID, Map.of("HOME", home.toString())).snapshot());
    }

    @Test
    void revisionsByRefAndByCommitHash() throws Exception {
        String v1 = HubLayout.commit("v1");
        HubLayout.add(cache, ID, "v1.0", v1, model);
        Map<String, String> env = Map.of("HF_HUB_CACHE", cache.toString());
        ModelSource byRef = ModelSource.resolve(ID + "@v1.0", env);
        assertEquals(v1, byRef.snapshot());
        assertEquals("v1.0", byRef.revision());
        assertTrue(byRef.label().contains("@v1.0") && byRef.label().contains(v1.substring(0, 12)), byRef.label());
        // a commit hash names its snapshot without a ref (how a pinned download is laid out)
        String pinned = HubLayout.commit("pinned");
        HubLayout.add(cache, ID, null, pinned, model);
        assertEquals(pinned, ModelSource.resolve(ID + "@" + pinned, env).snapshot());
        // refs of pull requests have a slash in them
        String pr = HubLayout.commit("pr");
        HubLayout.add(cache, ID, "refs/pr/1", pr, model);
        assertEquals(pr, ModelSource.resolve(ID + "@refs/pr/1", env).snapshot());
    }

    @Test
    void aFolderWinsAndIsRecordedByItsPath() throws Exception {
        ModelSource f = ModelSource.resolve(model.toString(), Map.of("HF_HUB_CACHE", cache.toString()));
        assertFalse(f.isHub());
        assertNull(f.snapshot());
        assertEquals(model.toAbsolutePath().normalize(), f.dir());
        ObjectNode c = new ObjectMapper().createObjectNode();
        f.describe(c);
        assertEquals(model.toAbsolutePath().normalize().toString(), c.path("model").asText());
        assertFalse(c.has("model_snapshot"), "a folder run's config has no snapshot field (old configs still match)");
    }

    @Test
    void aMissingModelNamesEveryPlaceLookedAtAndTheDownloadCommand() {
        String m = invalid(() -> ModelSource.resolve("acme/absent", Map.of("HF_HUB_CACHE", cache.toString())))
                .getMessage();
        assertTrue(m.contains(Path.of("acme/absent").toAbsolutePath().normalize().toString()), m);
        assertTrue(m.contains(cache.resolve("models--acme--absent/refs/main").toString()), m);
        assertTrue(m.contains("$HF_HUB_CACHE"), m);
        assertTrue(m.contains("huggingface-cli download acme/absent"), m);
        assertFalse(m.contains("\n"), "one line");
        String r = invalid(() -> ModelSource.resolve(ID + "@v9", Map.of("HF_HUB_CACHE", cache.toString())))
                .getMessage();
        assertTrue(r.contains("revision 'v9'") && r.contains("refs main") && r.contains(main), r);
        assertTrue(r.contains("huggingface-cli download " + ID + " --revision v9"), r);
        String d = invalid(() -> ModelSource.resolve("/no/such/folder", Map.of())).getMessage();
        assertTrue(d.contains("no such folder"), d);
    }

    @Test
    void anIncompleteDownloadIsNamed() throws Exception {
        Path snap = cache.resolve("models--acme--tiny-llama/snapshots").resolve(main);
        // the blob behind model.safetensors is gone: the link dangles
        Path blob = snap.resolve(Files.readSymbolicLink(snap.resolve("model.safetensors"))).normalize();
        Files.delete(blob);
        String m = invalid(() -> ModelSource.resolve(ID, Map.of("HF_HUB_CACHE", cache.toString()))).getMessage();
        assertTrue(m.contains("model.safetensors links to a blob that is missing"), m);
        assertTrue(m.contains("huggingface-cli download " + ID), m);
        // a ref naming a snapshot that is not there
        Files.writeString(cache.resolve("models--acme--tiny-llama/refs/main"), HubLayout.commit("gone"));
        String g = invalid(() -> ModelSource.resolve(ID, Map.of("HF_HUB_CACHE", cache.toString()))).getMessage();
        assertTrue(g.contains("names snapshot " + HubLayout.commit("gone")), g);
    }

    @Test
    void aShardedSnapshotNeedsEveryShard() throws Exception {
        Path sharded = tmp.resolve("sharded");
        Files.createDirectories(sharded);
        Files.copy(model.resolve("config.json"), sharded.resolve("config.json"));
        Files.copy(model.resolve("model.safetensors"), sharded.resolve("model-00001-of-00002.safetensors"));
        Files.writeString(sharded.resolve("model.safetensors.index.json"), "{\"weight_map\": {"
                + "\"model.embed_tokens.weight\": \"model-00001-of-00002.safetensors\","
                + "\"lm_head.weight\": \"model-00002-of-00002.safetensors\"}}");
        String c = HubLayout.commit("sharded");
        HubLayout.add(cache, "acme/sharded", "main", c, sharded);
        String m = invalid(() -> ModelSource.resolve("acme/sharded", Map.of("HF_HUB_CACHE", cache.toString())))
                .getMessage();
        assertTrue(m.contains("model-00002-of-00002.safetensors is missing"), m);
    }

    @Test
    void aFileOrANonsenseReferenceIsRefused() throws Exception {
        String f = invalid(() -> ModelSource.resolve(model.resolve("config.json").toString(), Map.of())).getMessage();
        assertTrue(f.contains("is a file"), f);
        invalid(() -> ModelSource.resolve("a/b/c/d", Map.of("HF_HUB_CACHE", cache.toString())));
        invalid(() -> ModelSource.resolve(" ", Map.of()));
        invalid(() -> ModelSource.resolve("acme/../etc", Map.of("HF_HUB_CACHE", cache.toString())));
    }
}

package dev.mipeaks.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mipeaks.MipeaksException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code --model} names, resolved to the folder that holds config.json, the safetensors weights and the
 * tokenizer: either a folder, or a Hugging Face id {@code org/name} (optionally {@code @revision}) found offline in
 * the local hub cache exactly as huggingface_hub lays it out. We never download: a model that is not there is an
 * exit-2 error naming every place looked at and the command that downloads it.
 *
 * <p>The cache is {@code $HF_HUB_CACHE}, else {@code $HUGGINGFACE_HUB_CACHE} (its older name), else
 * {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub}. A model
 * lives in {@code models--org--name/}: {@code refs/<revision>} holds the commit hash of the snapshot
 * {@code snapshots/<hash>/}, whose files are symbolic links into {@code blobs/} (followed when read). A revision that
 * is a full commit hash names its snapshot folder directly.
 *
 * <p>Runs record {@link #recorded() the id} and {@link #snapshot() the snapshot hash} (see {@link #describe}), so
 * that resuming a run against another snapshot is refused naming the field.
 *
 * <p>No LibTorch types here: commands resolve {@code --model} before any native library loads.
 *
 * @param reference what the user gave
 * @param dir       the model folder (for an id: the snapshot folder, kept as the cache's path so links resolve)
 * @param id        {@code org/name}, or null for a folder
 * @param revision  the revision asked for ({@code main} when none), or null for a folder
 * @param snapshot  the snapshot's commit hash, or null for a folder
 */
public record ModelSource(String reference, Path dir, String id, String revision, String snapshot) {

    /** The revision huggingface_hub uses when none is given. */
    public static final String DEFAULT_REVISION = "main";

    /** {@code org/name} or a bare legacy name like {@code gpt2}, then {@code @revision}. */
    private static final Pattern ID = Pattern.compile(
            "((?:[A-Za-z0-9][A-Za-z0-9._-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95})(?:@([A-Za-z0-9._/-]{1,200}))?");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{40}");

    /** A model folder given by path. */
    public static ModelSource folder(Path dir) {
        return new ModelSource(dir.toString(), dir.toAbsolutePath().normalize(), null, null, null);
    }

    /** Resolves {@code --model reference} with this process's environment (see {@link #resolve(String, Map)}). */
    public static ModelSource resolve(String reference) {
        return resolve(reference, "--model", System.getenv());
    }

    /** Resolves the value of another option naming a model (e.g. {@code --gt-model}); errors name {@code option}. */
    public static ModelSource resolve(String reference, String option) {
        return resolve(reference, option, System.getenv());
    }

    /** {@link #resolve(String, String, Map)} for {@code --model}. */
    public static ModelSource resolve(String reference, Map<String, String> env) {
        return resolve(reference, "--model", env);
    }

    /**
     * Resolves a folder path or a Hugging Face id. A folder that exists wins; otherwise a reference shaped like an id
     * is looked up in the hub cache chosen by {@code env} (the variables above and {@code HOME}). Errors (exit 2)
     * name {@code option}.
     */
    public static ModelSource resolve(String reference, String option, Map<String, String> env) {
        if (reference == null || reference.isBlank()) {
            throw MipeaksException.invalid(option + ": empty (give a model folder or a Hugging Face id org/name)");
        }
        String ref = reference.trim();
        Path asPath = expandHome(ref, env);
        if (Files.isDirectory(asPath)) {
            return new ModelSource(reference, asPath.toAbsolutePath().normalize(), null, null, null);
        }
        if (Files.exists(asPath)) {
            throw MipeaksException.invalid(option + " " + ref + ": " + asPath.toAbsolutePath().normalize()
                    + " is a file; expected a model folder (config.json, safetensors weights, tokenizer.json) or a "
                    + "Hugging Face id org/name");
        }
        Matcher m = ID.matcher(ref);
        if (!m.matches() || ref.contains("..") || ref.contains("--")) {
            throw MipeaksException.invalid(option + " " + ref + ": no such folder (" + asPath.toAbsolutePath().normalize()
                    + "), and not a Hugging Face id of the form org/name[@revision]");
        }
        String id = m.group(1);
        String revision = m.group(2) == null ? DEFAULT_REVISION : m.group(2);
        HubCache cache = hubCache(env);
        return fromCache(option + " " + reference, reference, id, revision, cache, asPath.toAbsolutePath().normalize());
    }

    /** The hub cache folder and the variable (or default) that chose it. */
    public record HubCache(Path dir, String chosenBy) {
    }

    /** The hub cache huggingface_hub would use with {@code env}. */
    public static HubCache hubCache(Map<String, String> env) {
        for (String v : List.of("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE")) {
            String s = env.get(v);
            if (s != null && !s.isBlank()) {
                return new HubCache(expandHome(s, env), "$" + v);
            }
        }
        String home = env.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return new HubCache(expandHome(home, env).resolve("hub"), "$HF_HOME/hub");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return new HubCache(expandHome(xdg, env).resolve("huggingface").resolve("hub"),
                    "$XDG_CACHE_HOME/huggingface/hub");
        }
        return new HubCache(userHome(env).resolve(".cache").resolve("huggingface").resolve("hub"),
                "the default ~/.cache/huggingface/hub");
    }

    /** The cache folder of a model id: {@code models--org--name}. */
    public static String repoFolderName(String id) {
        return "models--" + id.replace("/", "--");
    }

    private static ModelSource fromCache(String what, String reference, String id, String revision, HubCache cache,
                                         Path notFolder) {
        Path repo = cache.dir().resolve(repoFolderName(id));
        Path refFile = repo.resolve("refs").resolve(revision);
        String download = "huggingface-cli download " + id
                + (revision.equals(DEFAULT_REVISION) ? "" : " --revision " + revision);
        String looked = "looked for the folder " + notFolder + " and for " + refFile
                + (HASH.matcher(revision).matches() ? " and " + repo.resolve("snapshots").resolve(revision) : "")
                + " in the Hugging Face cache " + cache.dir() + " (chosen by " + cache.chosenBy() + ")";
        if (!Files.isDirectory(repo)) {
            throw MipeaksException.invalid(what + ": not found offline: " + looked
                    + "; download it with `" + download + "` (mipeaks never downloads), or set HF_HUB_CACHE/HF_HOME "
                    + "to the cache that holds it");
        }
        String hash;
        if (Files.isRegularFile(refFile)) {
            try {
                hash = Files.readString(refFile, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw MipeaksException.invalid(refFile + ": cannot read (" + e.getMessage() + ")");
            }
            if (!HASH.matcher(hash).matches()) {
                throw MipeaksException.invalid(refFile + ": expected a 40-hex-digit commit hash, got '"
                        + shorten(hash) + "'");
            }
        } else if (HASH.matcher(revision).matches() && Files.isDirectory(repo.resolve("snapshots").resolve(revision))) {
            hash = revision;
        } else {
            throw MipeaksException.invalid(what + ": revision '" + revision + "' not found offline: "
                    + looked + "; the cache has " + listing(repo) + "; download it with `" + download + "`");
        }
        Path snap = repo.resolve("snapshots").resolve(hash);
        if (!Files.isDirectory(snap)) {
            throw MipeaksException.invalid(what + ": " + refFile + " names snapshot " + hash
                    + " but " + snap + " does not exist (an interrupted download?); run `" + download + "`");
        }
        ModelSource s = new ModelSource(reference, snap, id, revision, hash);
        s.checkComplete(what, download);
        return s;
    }

    /** refs and snapshots present in a repo folder, for error messages. */
    private static String listing(Path repo) {
        Set<String> refs = new LinkedHashSet<>();
        Path r = repo.resolve("refs");
        if (Files.isDirectory(r)) {
            try (Stream<Path> s = Files.walk(r)) {
                s.filter(Files::isRegularFile).forEach(p -> refs.add(r.relativize(p).toString().replace('\\', '/')));
            } catch (IOException ignored) {
                // listed as none
            }
        }
        List<String> snaps = new ArrayList<>();
        Path sd = repo.resolve("snapshots");
        if (Files.isDirectory(sd)) {
            try (Stream<Path> s = Files.list(sd)) {
                s.map(p -> p.getFileName().toString()).sorted().forEach(snaps::add);
            } catch (IOException ignored) {
                // listed as none
            }
        }
        return "refs " + (refs.isEmpty() ? "(none)" : String.join(", ", refs)) + " and snapshots "
                + (snaps.isEmpty() ? "(none)" : String.join(", ", snaps));
    }

    /**
     * A snapshot holds config.json and every weight file (model.safetensors, or each shard the index lists); a link
     * into blobs/ whose blob is missing (an interrupted download) is named with the command that completes it.
     */
    private void checkComplete(String what, String download) {
        List<String> needed = new ArrayList<>(List.of("config.json"));
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.exists(dir.resolve("model.safetensors"), LinkOption.NOFOLLOW_LINKS)) {
            needed.add("model.safetensors");
        } else if (Files.isRegularFile(index)) {
            JsonNode map = ModelConfig.readJson(index, true).get("weight_map");
            if (map != null && map.isObject()) {
                Set<String> shards = new LinkedHashSet<>();
                for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
                    shards.add(it.next().asText());
                }
                needed.addAll(shards);
            }
        } else {
            throw MipeaksException.invalid(what + ": snapshot " + dir + " has no model.safetensors or "
                    + "model.safetensors.index.json (only safetensors checkpoints are read; an incomplete download?); "
                    + "run `" + download + "`");
        }
        for (String f : needed) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                String why = Files.isSymbolicLink(p) ? "links to a blob that is missing" : "is missing";
                throw MipeaksException.invalid(what + ": " + p + " " + why
                        + " (an incomplete download); run `" + download + "`");
            }
        }
    }

    private static Path expandHome(String s, Map<String, String> env) {
        if (s.equals("~")) {
            return userHome(env);
        }
        if (s.startsWith("~/")) {
            return userHome(env).resolve(s.substring(2));
        }
        return Path.of(s);
    }

    private static Path userHome(Map<String, String> env) {
        String h = env.get("HOME");
        return Path.of(h != null && !h.isBlank() ? h : System.getProperty("user.home"));
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** Whether this is a Hugging Face id resolved in the cache (not a folder). */
    public boolean isHub() {
        return id != null;
    }

    /** What runs record as "model": the id for a hub model, the absolute folder otherwise. */
    public String recorded() {
        return isHub() ? id : dir.toString();
    }

    /** For messages: the folder, or {@code org/name@revision (snapshot abcdef123456)}. */
    public String label() {
        if (!isHub()) {
            return dir.toString();
        }
        return id + (revision.equals(DEFAULT_REVISION) ? "" : "@" + revision) + " (snapshot "
                + snapshot.substring(0, 12) + ")";
    }

    /**
     * Puts the model's identity into a run's config: {@code model} (the id, or the folder) and, for a hub model,
     * {@code model_snapshot} (the commit hash). A folder run has no model_snapshot field, so configs written before
     * models could be ids still match.
     */
    public void describe(ObjectNode config) {
        config.put("model", recorded());
        if (isHub()) {
            config.put("model_snapshot", snapshot);
        }
    }

    /** The model's config.json (and generation_config.json). */
    public ModelConfig config() {
        return ModelConfig.load(dir);
    }

    /** Whether the model folder has a tokenizer.json. */
    public boolean hasTokenizer() {
        return Files.isRegularFile(dir.resolve("tokenizer.json"));
    }

    /** {@code dir/name}: a file of the model folder (links into blobs/ are followed when it is read). */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** A folder name for default output folders: the id's name part, or the folder's name. */
    public String shortName() {
        return isHub() ? id.substring(id.indexOf('/') + 1) : String.valueOf(dir.getFileName());
    }
}

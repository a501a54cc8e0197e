package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's table of modules says what the poms say: the same modules, each with the same tally dependencies. */
class ModuleLayoutTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| .* \\|\\s*([a-z, -]*?)\\s*\\|$", Pattern.MULTILINE);
    private static final Pattern MODULE = Pattern.compile("<module>([a-z-]+)</module>");
    private static final Pattern TALLY_DEPENDENCY = Pattern.compile(
            "<dependency><groupId>dev\\.tally</groupId><artifactId>([a-z-]+)</artifactId>(?:<version>[^<]*</version>)?</dependency>");

    @Test
    void shouldDescribeEveryModuleAndItsDependenciesAsThePomsDo() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String layout = readme.substring(readme.indexOf("### Where the code is"), readme.indexOf("### Tests"));
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(layout);
        while (row.find()) {
            documented.put(row.group(1), Arrays.stream(row.group(2).split(","))
                    .map(String::trim).filter(name -> !name.isEmpty()).collect(Collectors.toCollection(TreeSet::new)));
        }

        Map<String, Set<String>> built = new LinkedHashMap<>();
        Matcher module = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            Set<String> dependencies = new TreeSet<>();
            Matcher dependency = TALLY_DEPENDENCY.matcher(Files.readString(ROOT.resolve(module.group(1)).resolve("pom.xml")));
            while (dependency.find()) {
                dependencies.add(dependency.group(1));
            }
            built.put(module.group(1), dependencies);
        }

        assertThat(built).hasSizeGreaterThan(5);
        assertThat(documented).containsExactlyInAnyOrderEntriesOf(built);
    }
}

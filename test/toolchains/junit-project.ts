import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A minimal Maven project that runs JUnit 5 tests: the versions below are the only Java
 * dependencies of the project, resolved from Maven Central into `.toolchains/m2`
 * (setup-toolchains.ts fetches them once; the tests then run Maven offline).
 */
const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.apikeys</groupId>
  <artifactId>junit-run</artifactId>
  <version>0</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.14.1</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.1</version>
      </plugin>
      <plugin>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.5.4</version>
      </plugin>
      <plugin>
        <artifactId>maven-resources-plugin</artifactId>
        <version>3.3.1</version>
      </plugin>
    </plugins>
  </build>
</project>
`;

/**
 * The same JUnit 5 run plus a Java client generated from the spec before the tests compile:
 * OpenAPI Generator 7.19.0, `java` with the `okhttp-gson` library and the packages of
 * GoodMem's Java SDK page (`ai.pairsys.goodmem.client`, `.api`, `.models`), the generator and
 * library GoodMem's own Java SDK reference names. The spec is `-Dapikeys.spec=<file>`. The
 * client's runtime libraries are the versions that generator writes into its own pom.
 */
const GENERATED_CLIENT_POM = POM.replace('<artifactId>junit-run</artifactId>', '<artifactId>generated-client-run</artifactId>')
  .replace(
    '  <dependencies>\n',
    `  <dependencies>
${[
  ['com.squareup.okhttp3', 'okhttp', '4.12.0'],
  ['com.squareup.okhttp3', 'logging-interceptor', '4.12.0'],
  ['com.google.code.gson', 'gson', '2.10.1'],
  ['io.gsonfire', 'gson-fire', '1.9.0'],
  ['org.apache.commons', 'commons-lang3', '3.18.0'],
  ['jakarta.annotation', 'jakarta.annotation-api', '1.3.5'],
  ['com.google.code.findbugs', 'jsr305', '3.0.2'],
  ['org.openapitools', 'jackson-databind-nullable', '0.2.8'],
]
  .map(
    ([group, artifact, version]) =>
      `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>\n`,
  )
  .join('')}`,
  )
  .replace(
    '    <plugins>\n',
    `    <plugins>
      <plugin>
        <groupId>org.openapitools</groupId>
        <artifactId>openapi-generator-maven-plugin</artifactId>
        <version>7.19.0</version>
        <executions>
          <execution>
            <goals><goal>generate</goal></goals>
            <configuration>
              <inputSpec>\${apikeys.spec}</inputSpec>
              <generatorName>java</generatorName>
              <library>okhttp-gson</library>
              <invokerPackage>ai.pairsys.goodmem.client</invokerPackage>
              <apiPackage>ai.pairsys.goodmem.client.api</apiPackage>
              <modelPackage>ai.pairsys.goodmem.client.models</modelPackage>
              <generateApiTests>false</generateApiTests>
              <generateModelTests>false</generateModelTests>
              <generateApiDocumentation>false</generateApiDocumentation>
              <generateModelDocumentation>false</generateModelDocumentation>
            </configuration>
          </execution>
        </executions>
      </plugin>
`,
  );

/** Writes the pom (default: JUnit 5 only) and each `[fileName, source]` under `src/test/java` of `dir`. */
export function writeJunitProject(dir: string, sources: [string, string][], pom = POM): void {
  const javaDir = join(dir, 'src', 'test', 'java');
  mkdirSync(javaDir, { recursive: true });
  writeFileSync(join(dir, 'pom.xml'), pom);
  for (const [name, source] of sources) writeFileSync(join(javaDir, name), source);
}

/** The poms' text, so a change of versions is noticed by the setup's stamp. */
export const junitPom = POM;
export const generatedClientPom = GENERATED_CLIENT_POM;

export interface SurefireSuite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** The totals of every `TEST-*.xml` surefire wrote under `dir/target/surefire-reports`. */
export function surefireResults(dir: string): SurefireSuite[] {
  const reports = join(dir, 'target', 'surefire-reports');
  return readdirSync(reports)
    .filter((name) => /^TEST-.*\.xml$/.test(name))
    .map((name) => {
      const head = /<testsuite\b[^>]*>/.exec(readFileSync(join(reports, name), 'utf8'))?.[0] ?? '';
      const attribute = (key: string) => new RegExp(`\\s${key}="([^"]*)"`).exec(head)?.[1] ?? '';
      const count = (key: string) => Number(attribute(key) || 'NaN');
      return {
        name: attribute('name'),
        tests: count('tests'),
        failures: count('failures'),
        errors: count('errors'),
        skipped: count('skipped'),
      };
    });
}

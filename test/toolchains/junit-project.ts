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

/** Writes the pom and each `[fileName, source]` under `src/test/java` of `dir`. */
export function writeJunitProject(dir: string, sources: [string, string][]): void {
  const javaDir = join(dir, 'src', 'test', 'java');
  mkdirSync(javaDir, { recursive: true });
  writeFileSync(join(dir, 'pom.xml'), POM);
  for (const [name, source] of sources) writeFileSync(join(javaDir, name), source);
}

/** The pom's text, so a change of versions is noticed by the setup's stamp. */
export const junitPom = POM;

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

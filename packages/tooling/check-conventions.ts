/**
 * Checks, on the public API of every package, the rules of docs/conventions.md
 * that a machine can check (run by `pnpm test` as `pnpm run check:conventions`):
 *
 *  1. §2 — no option, property or parameter named `now` takes a `Date`: every
 *     `now` is a `Clock` (`() => Date`);
 *  2. §5 — every verdict has `ok`: the (awaited) result of every function
 *     or method the packages provide (exported, or a member of what they
 *     return) named `validate…`, `verify…`, `check…` or `safe…` is an object
 *     whose every union member has a boolean `ok` and an `issues` array —
 *     or a `SignatureCheck` (§5: signatures have their own `status`).
 *     Callbacks a caller provides (members of option types) are not checked;
 *  3. §5 — no verdict flag of the old names (`success`, `valid`, `intact`,
 *     `acceptable`) and no `problems` list on those verdicts.
 *
 * It walks what each package exports (its package.json `exports`, resolved to
 * the TypeScript sources through the `@s3404/source` condition) with the
 * TypeScript compiler, following option objects, results and members into
 * the types the packages declare themselves.
 *
 * Usage: `tsx packages/tooling/check-conventions.ts [--self-test]`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');
const VERDICT_NAME = /^(validate|verify|check|safe)[A-Z]|^(validate|verify|check)$/;
const OLD_FLAGS = ['success', 'valid', 'intact', 'acceptable'];

interface Entry {
  readonly pkg: string;
  readonly specifier: string;
  readonly file: string;
}

/** Every public entry point of every package, resolved to its source file. */
export function publicEntries(packagesDir = join(ROOT, 'packages')): Entry[] {
  const out: Entry[] = [];
  for (const dir of readdirSync(packagesDir)) {
    const manifestPath = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; private?: boolean; exports?: Record<string, unknown> };
    if (manifest.private === true) continue;
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)['@s3404/source'] : undefined;
      if (typeof source !== 'string') continue;
      out.push({
        pkg: manifest.name,
        specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
        file: join(packagesDir, dir, source),
      });
    }
  }
  return out;
}

/** Checks the entries; returns one line per violation. */
export function checkConventions(entries: readonly Entry[], ownRoot = join(ROOT, 'packages')): string[] {
  const program = ts.createProgram(
    entries.map((e) => e.file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ['@s3404/source'],
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: true,
      noEmit: true,
    },
  );
  const checker = program.getTypeChecker();
  const problems = new Set<string>();
  const own = (decl: ts.Declaration | undefined): boolean =>
    decl !== undefined && resolve(decl.getSourceFile().fileName).startsWith(ownRoot) && !decl.getSourceFile().fileName.includes('node_modules');
  const dateType = (() => {
    const sym = checker.resolveName('Date', undefined, ts.SymbolFlags.Type, false);
    return sym === undefined ? undefined : checker.getDeclaredTypeOfSymbol(sym);
  })();

  const typeText = (t: ts.Type): string => checker.typeToString(t, undefined, ts.TypeFormatFlags.NoTruncation).slice(0, 160);

  /** A `now` must be callable, returning a Date, and never accept a Date itself. */
  const checkNow = (where: string, type: ts.Type): void => {
    const t = checker.getNonNullableType(type);
    const members = t.isUnion() ? t.types : [t];
    const acceptsDate = dateType !== undefined && members.some((m) => checker.isTypeAssignableTo(dateType, m));
    const callable = members.every((m) => m.getCallSignatures().length > 0);
    if (acceptsDate || !callable) problems.add(`§2 ${where}: \`now\` must be a Clock (() => Date), not ${typeText(type)}`);
  };

  /** A verdict: every union member an object with a boolean `ok` and an `issues` array, no old flag names. */
  const checkVerdict = (where: string, type: ts.Type): void => {
    let t = checker.getAwaitedType(type) ?? type;
    t = checker.getNonNullableType(t);
    const members = (t.isUnion() ? t.types : [t]).filter((m) => (m.flags & ts.TypeFlags.Never) === 0);
    // A SignatureCheck (status valid | invalid | unchecked | none) is the one signature verdict (§5).
    if (members.every((m) => m.getProperty('status') !== undefined && m.getProperty('ok') === undefined)) return;
    // A union of literal booleans is expanded by the checker: a plain boolean result is no verdict.
    if (members.every((m) => (m.flags & ts.TypeFlags.BooleanLike) !== 0)) {
      problems.add(`§5 ${where}: a verdict is { ok, issues }, not ${typeText(type)}`);
      return;
    }
    for (const m of members) {
      const ok = m.getProperty('ok');
      const issues = m.getProperty('issues');
      if (ok === undefined) problems.add(`§5 ${where}: verdict member without \`ok\`: ${typeText(m)}`);
      else {
        const okType = checker.getTypeOfSymbol(ok);
        if ((checker.getNonNullableType(okType).flags & ts.TypeFlags.BooleanLike) === 0) problems.add(`§5 ${where}: \`ok\` is not a boolean`);
      }
      if (issues === undefined) problems.add(`§5 ${where}: verdict member without \`issues\`: ${typeText(m)}`);
      for (const old of [...OLD_FLAGS, 'problems']) if (m.getProperty(old) !== undefined) problems.add(`§5 ${where}: verdict has \`${old}\` (use ok / issues)`);
    }
  };

  // `provided`: the SDK provides it (exported, or returned); otherwise the caller does (an option, a callback).
  const seen = new Set<string>();
  const visitType = (where: string, type: ts.Type, depth: number, provided: boolean): void => {
    const key = `${(type as { id?: number }).id ?? typeText(type)}|${provided}`;
    if (depth > 8 || seen.has(key)) return;
    seen.add(key);
    if (type.isUnion() || type.isIntersection()) {
      for (const t of type.types) visitType(where, t, depth + 1, provided);
      return;
    }
    const awaited = checker.getAwaitedType(type);
    if (awaited !== undefined && awaited !== type) visitType(where, awaited, depth + 1, provided);
    for (const sig of [...type.getCallSignatures(), ...type.getConstructSignatures()]) visitSignature(where, sig, undefined, depth + 1, provided);
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    const decl = symbol?.declarations?.[0];
    if (!own(decl)) {
      // Arrays and tuples of our own types (Promise<T> was unwrapped above).
      for (const arg of checker.getTypeArguments(type as ts.TypeReference) ?? []) visitType(where, arg, depth + 1, provided);
      return;
    }
    for (const prop of type.getProperties()) {
      const pdecl = prop.valueDeclaration ?? prop.declarations?.[0];
      if (pdecl === undefined) continue;
      if (
        ts.canHaveModifiers(pdecl) &&
        ts.getModifiers(pdecl)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)
      )
        continue;
      if (prop.getName().startsWith('#')) continue;
      // Members a class inherits from the platform (HTMLElement's checkVisibility…) are not the SDK's API.
      if (program.isSourceFileDefaultLibrary(pdecl.getSourceFile())) continue;
      const ptype = checker.getTypeOfSymbolAtLocation(prop, pdecl);
      const at = `${where}.${prop.getName()}`;
      if (prop.getName() === 'now') checkNow(at, ptype);
      const callable = checker.getNonNullableType(ptype).getCallSignatures();
      if (callable.length > 0) for (const sig of callable) visitSignature(at, sig, prop.getName(), depth + 1, provided);
      else visitType(at, ptype, depth + 1, provided);
    }
  };

  const visitSignature = (where: string, sig: ts.Signature, name: string | undefined, depth: number, provided: boolean): void => {
    for (const param of sig.getParameters()) {
      const decl = param.valueDeclaration ?? param.declarations?.[0];
      if (decl === undefined) continue;
      const ptype = checker.getTypeOfSymbolAtLocation(param, decl);
      if (param.getName() === 'now') checkNow(`${where}(${param.getName()})`, ptype);
      visitType(`${where}(${param.getName()})`, ptype, depth + 1, false);
    }
    const ret = sig.getReturnType();
    if (provided && name !== undefined && VERDICT_NAME.test(name)) checkVerdict(`${where}()`, ret);
    visitType(`${where}()`, ret, depth + 1, provided);
  };

  for (const entry of entries) {
    const sf = program.getSourceFile(entry.file);
    const moduleSymbol = sf === undefined ? undefined : checker.getSymbolAtLocation(sf);
    if (moduleSymbol === undefined) {
      problems.add(`${entry.specifier}: cannot read ${entry.file}`);
      continue;
    }
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
      if (decl === undefined || !own(decl)) continue;
      const where = `${entry.specifier} ${exported.getName()}`;
      if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable | ts.SymbolFlags.Class)) {
        const type = checker.getTypeOfSymbolAtLocation(symbol, decl);
        for (const sig of type.getCallSignatures()) visitSignature(where, sig, exported.getName(), 0, true);
        for (const sig of type.getConstructSignatures()) {
          visitSignature(`${where}.constructor`, sig, undefined, 0, true);
          visitType(where, sig.getReturnType(), 0, true);
        }
        visitType(where, type, 0, true);
      }
      if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
        // An exported interface may be implemented by the SDK or by the caller: `now` is checked, verdicts only where provided.
        visitType(where, checker.getDeclaredTypeOfSymbol(symbol), 0, false);
      }
    }
  }
  return [...problems].sort();
}

/** Proves the checker fails on each rule, on a tiny fixture package. */
function selfTest(): void {
  const fixtures = join(import.meta.dirname, 'test-fixtures', 'conventions');
  const found = checkConventions(publicEntries(fixtures), fixtures);
  const expected = [
    /§2 .*renderThing\(options\)\.now/,
    /§2 .*Sweeper\.sweep\(options\)\.now/,
    /§5 .*verifyThing\(\): verdict member without `ok`/,
    /§5 .*verifyThing\(\): verdict has `valid`/,
    /§5 .*checkThing\(\): a verdict is \{ ok, issues \}/,
    /§5 .*createVerifier\(\)\.verify\(\): verdict member without `issues`/,
  ];
  const missing = expected.filter((re) => !found.some((line) => re.test(line)));
  const falsePositives = found.filter((line) => /goodThing|GoodReport|goodClock|GoodSignature|useCallback/.test(line));
  if (missing.length > 0 || falsePositives.length > 0) {
    console.error(
      `check-conventions self-test failed.\nfound:\n${found.join('\n')}\nmissing: ${missing.join(', ')}\nfalse positives: ${falsePositives.join('\n')}`,
    );
    process.exit(1);
  }
  console.log(`✓ check-conventions self-test: ${expected.length} violations caught, the conforming API passes`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  if (process.argv.includes('--self-test')) selfTest();
  else {
    const entries = publicEntries();
    const problems = checkConventions(entries);
    if (problems.length > 0) {
      console.error(`API conventions (docs/conventions.md): ${problems.length} violation(s)\n${problems.map((p) => `  ✗ ${p}`).join('\n')}`);
      process.exit(1);
    }
    console.log(`✓ API conventions: ${entries.length} public entry points, no \`now\` taking a Date, every verdict { ok, issues }`);
  }
}

// Checks, before the tests, that the external verifiers they call are installed:
// qpdf and poppler-utils (pdftotext, pdftoppm, pdfinfo, pdffonts, pdfimages).
import { spawnSync } from 'node:child_process';

const tools = ['qpdf', 'pdftotext', 'pdftoppm', 'pdfinfo', 'pdffonts', 'pdfimages'];
const missing = tools.filter((t) => spawnSync(t, ['-v'], { stdio: 'ignore' }).error !== undefined);
if (missing.length > 0) {
  console.error(`Outils manquants pour les tests / missing test tools: ${missing.join(', ')}`);
  console.error('Debian/Ubuntu : apt-get install -y qpdf poppler-utils   (.ci/run le fait pour vous)');
  process.exit(1);
}

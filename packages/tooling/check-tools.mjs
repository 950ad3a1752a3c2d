// Checks, before the tests, that the external verifiers and producers they call are installed:
// qpdf, poppler-utils (pdftotext, pdftoppm, pdfinfo, pdffonts, pdfimages), and for the SCOR
// tests Ghostscript, img2pdf, MuPDF (mutool), Info-ZIP (unzip) and OpenSSL; for the PAdES tests
// pdfsig and NSS's certutil (libnss3-tools), which gives pdfsig its trust anchors; for the signing
// screen, tesseract (tesseract-ocr), which reads the bordereau identifier back from a screenshot;
// for the PKCS#11 seal key tests, SoftHSM2 (softhsm2-util) and OpenSC's pkcs11-tool (opensc).
import { spawnSync } from 'node:child_process';

const tools = [
  'qpdf',
  'pdftotext',
  'pdftoppm',
  'pdfinfo',
  'pdffonts',
  'pdfimages',
  'pdfsig',
  'gs',
  'img2pdf',
  'mutool',
  'unzip',
  'openssl',
  'certutil',
  'tesseract',
  'softhsm2-util',
  'pkcs11-tool',
];
const missing = tools.filter(
  (t) => spawnSync(t, ['-v'], { stdio: 'ignore' }).error !== undefined && spawnSync(t, ['--version'], { stdio: 'ignore' }).error !== undefined,
);
// The signing screen is French: tesseract needs its French model (tesseract-ocr-fra).
const langs = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
if (!missing.includes('tesseract') && !/^fra$/m.test(`${langs.stdout ?? ''}${langs.stderr ?? ''}`)) missing.push('tesseract-ocr-fra');
if (missing.length > 0) {
  console.error(`Outils manquants pour les tests / missing test tools: ${missing.join(', ')}`);
  console.error(
    'Debian/Ubuntu : apt-get install -y qpdf poppler-utils ghostscript img2pdf mupdf-tools unzip zip openssl libnss3-tools tesseract-ocr tesseract-ocr-fra softhsm2 opensc',
  );
  console.error("La commande de test du README le fait pour vous / the README's test command does it for you: bash packages/tooling/test-fresh.sh");
  process.exit(1);
}

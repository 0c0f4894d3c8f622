/** Opens the browser's print dialog; the print stylesheet (theme.css) keeps only the document. */
export function printPage(): void {
  window.print();
}

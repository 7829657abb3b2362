/**
 * Copies text: the asynchronous clipboard where the browser offers it (secure contexts), else
 * the old execCommand('copy') on a temporary text area placed inside `container` (inside an
 * open modal dialog, because everything outside it is inert). Resolves false if neither worked.
 */
export async function copyText(text: string, container: HTMLElement = document.body): Promise<boolean> {
  if (navigator.clipboard?.writeText && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // denied or unavailable: try the fallback
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  container.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  previous?.focus();
  return copied;
}

// Images pasted or dropped into the prompt box, sent with the prompt as
// {"images": [{"mediaType", "data"}]} (base64) to agents that take images.
import { $, h } from './dom.js';

const TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const MAX_BYTES = 5 * 1024 * 1024; // Claude's limit for one image
const MAX_IMAGES = 8;

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export class Images {
  constructor({ prompt, onError }) {
    this.list = [];
    this.onError = onError;
    this.box = $('attachments');
    prompt.addEventListener('paste', (e) => {
      const files = [...(e.clipboardData?.files || [])].filter((f) => f.type.startsWith('image/'));
      if (files.length) {
        e.preventDefault();
        this.add(files);
      }
    });
    const composer = $('composer');
    composer.addEventListener('dragover', (e) => {
      if ([...(e.dataTransfer?.items || [])].some((i) => i.kind === 'file')) {
        e.preventDefault();
        composer.classList.add('dropping');
      }
    });
    composer.addEventListener('dragleave', () => composer.classList.remove('dropping'));
    composer.addEventListener('drop', (e) => {
      composer.classList.remove('dropping');
      const files = [...(e.dataTransfer?.files || [])];
      if (!files.length) return;
      e.preventDefault();
      this.add(files);
    });
  }

  async add(files) {
    for (const f of files) {
      if (!TYPES.has(f.type)) {
        this.onError(`${f.name || 'that file'} is not an image the agents read (PNG, JPEG, GIF or WebP)`);
        continue;
      }
      if (f.size > MAX_BYTES) {
        this.onError(`${f.name || 'the image'} is ${(f.size / 1048576).toFixed(1)} MiB; at most 5 MiB per image`);
        continue;
      }
      if (this.list.length >= MAX_IMAGES) {
        this.onError(`at most ${MAX_IMAGES} images per prompt`);
        break;
      }
      const data = await readBase64(f);
      this.list.push({ mediaType: f.type, data, name: f.name || 'pasted image' });
    }
    this.render();
  }

  clear() {
    this.list = [];
    this.render();
  }

  /** The images for the request body. */
  payload() {
    return this.list.map(({ mediaType, data }) => ({ mediaType, data }));
  }

  render() {
    this.box.replaceChildren(
      ...this.list.map((img, i) =>
        h(
          'li',
          { class: 'attachment' },
          h('img', { src: `data:${img.mediaType};base64,${img.data}`, alt: img.name }),
          h('button', { type: 'button', class: 'small', 'aria-label': `Remove ${img.name}`, onclick: () => {
            this.list.splice(i, 1);
            this.render();
          } }, '×'),
        ),
      ),
    );
    this.box.hidden = this.list.length === 0;
  }
}

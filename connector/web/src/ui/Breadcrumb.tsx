/** Where the screen sits in the admin console: Administration > Service Integration > ... */
export function Breadcrumb({ trail }: { trail: Array<{ label: string; href?: string }> }) {
  return (
    <nav aria-label="Breadcrumb" class="breadcrumb">
      <ol>
        {trail.map((item, index) => {
          const last = index === trail.length - 1;
          return (
            <li key={item.label}>
              {item.href && !last ? <a href={item.href}>{item.label}</a> : <span aria-current={last ? 'page' : undefined}>{item.label}</span>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export const ZAPIER_TRAIL = [{ label: 'Administration' }, { label: 'Service Integration' }, { label: 'Third-party Integration' }];

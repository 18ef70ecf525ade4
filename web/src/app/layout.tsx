import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation } from 'wouter';
import { forgetSession, signedInName, signIn } from '@/lib/auth';
import type { ConsoleConfig } from '@/lib/config';
import { NAVIGATION } from './navigation';

const isCurrent = (location: string, href: string) =>
  href === '/' ? location === '/' : location === href || location.startsWith(`${href}/`);

export const Layout = ({ config, children }: { config: ConsoleConfig; children: ReactNode }) => {
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstPage = useRef(true);
  // After moving to another page, keyboard and screen-reader users continue from its content, not the old link.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect is for each change of location.
  useEffect(() => {
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    main.current?.focus();
  }, [location]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Proleads console</span>
        <nav aria-label="Main" className="nav">
          <ul>
            {NAVIGATION.map(({ href, label }) => (
              <li key={href}>
                <Link href={href} aria-current={isCurrent(location, href) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span className="account-name">{signedInName() ?? 'admin'}</span>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              forgetSession();
              void signIn(config, location);
            }}
          >
            Sign in again
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </div>
  );
};

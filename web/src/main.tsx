import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { StartupError } from './app/startup-error';
import { configureApi } from './lib/api-client';
import { CALLBACK_PATH, completeSignIn, currentAccessToken, signIn } from './lib/auth';
import { type ConsoleConfig, loadConsoleConfig } from './lib/config';
import './styles.css';

/**
 * Start-up: read the runtime config, finish a sign-in coming back from the issuer (or start one), then
 * render the console with an API client that carries the admin's token.
 */
const start = async () => {
  const rootElement = document.getElementById('root');
  if (!rootElement) throw new Error('index.html has no #root element');
  const root = createRoot(rootElement);
  let config: ConsoleConfig | undefined;
  try {
    config = await loadConsoleConfig();
    if (window.location.pathname === CALLBACK_PATH) {
      const returnTo = await completeSignIn(config, new URL(window.location.href));
      window.history.replaceState(null, '', returnTo);
    } else if (!currentAccessToken()) {
      await signIn(config);
    }
    configureApi(config);
    root.render(<App config={config} />);
  } catch (error) {
    const signedConfig = config;
    root.render(
      <StartupError
        error={error}
        onSignIn={signedConfig ? () => signIn(signedConfig, '/') : () => window.location.reload()}
      />,
    );
  }
};

void start();

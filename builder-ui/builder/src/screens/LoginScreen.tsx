import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../api/errors";
import { useApi } from "../context";

export function LoginScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(email.trim(), password);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <section className="card login" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      <form onSubmit={submit} data-testid="login-form" noValidate>
        <div className="field">
          <label htmlFor="login-email">{t("login.email")}</label>
          <input
            id="login-email"
            data-testid="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoFocus
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t("login.password")}</label>
          <input
            id="login-password"
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="button-primary" data-testid="login-submit" disabled={busy || !email || !password}>
          {busy ? t("login.submitting") : t("login.submit")}
        </button>
      </form>
      <p className="hint">{t("login.hint")}</p>
    </section>
  );
}

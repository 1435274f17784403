using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OrdersTracing.ServiceDefaults.Identity;
using OrdersTracing.Web.Identity;

namespace OrdersTracing.Web.Pages;

public sealed class SignInModel : PageModel
{
    [BindProperty]
    [Required]
    public string TenantId { get; set; } = DemoIdentity.Tenants[0];

    [BindProperty]
    [Required]
    public string UserId { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!CallerClaims.IsValidId(TenantId))
        {
            ModelState.AddModelError(nameof(TenantId), "A tenant is lowercase letters, digits and '-', at most 63 characters.");
        }

        if (!CallerClaims.IsValidId(UserId))
        {
            ModelState.AddModelError(nameof(UserId), "A user name is lowercase letters, digits and '-', at most 63 characters.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var principal = DemoIdentity.CreatePrincipal(TenantId, UserId, CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/orders");
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage("/SignIn");
    }
}
